/**
 * What status computation is configured with: the `kappnav-config` ConfigMap read into settings, and the
 * component status engine built on them. Rebuilt when the ConfigMap changes (the informer hands out a new
 * object), each problem in it logged once; status maps and KindActionMappings are read live by the
 * locator, so they need no rebuild.
 */
import type { KappnavConfig } from '../model/config.ts';
import { KAPPNAV_CONFIG_NAME, readKappnavConfig } from '../model/config.ts';
import type { ConfigMap, ConfigMapSource } from '../kam/config-map-source.ts';
import { ComponentStatusEngine, type ScriptRunner } from './component-status.ts';
import type { StatusMapLocator } from './status-map-locator.ts';
import type { ProblemLog } from './problem-log.ts';

export interface StatusSettings {
  config: KappnavConfig;
  engine: ComponentStatusEngine;
}

export interface StatusSettingsOptions {
  configMaps: ConfigMapSource;
  locator: StatusMapLocator;
  sandbox: ScriptRunner;
  /** Where `kappnav-config` lives. */
  namespace: string;
  problems: ProblemLog;
  /**
   * Time budget of one status `algorithm` run. kAppNav's scripts are a few comparisons, so a small
   * budget costs nothing, and a script that loops holds a sandbox worker only this long.
   */
  algorithmTimeoutMs?: number;
}

const ALGORITHM_TIMEOUT_MS = 500;

export class StatusSettingsSource {
  private built: { source: ConfigMap | undefined; settings: StatusSettings } | undefined;

  constructor(private readonly options: StatusSettingsOptions) {}

  current(): StatusSettings {
    const { configMaps, namespace, locator, sandbox, problems } = this.options;
    const source = configMaps.getConfigMap(namespace, KAPPNAV_CONFIG_NAME);
    if (this.built && this.built.source === source) return this.built.settings;
    const read = readKappnavConfig(source?.data);
    problems.report(read.problems);
    const engine = new ComponentStatusEngine(locator, {
      sandbox,
      config: read.config,
      timeoutMs: this.options.algorithmTimeoutMs ?? ALGORITHM_TIMEOUT_MS,
    });
    this.built = { source, settings: { config: read.config, engine } };
    return this.built.settings;
  }
}
