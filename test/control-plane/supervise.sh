#!/bin/sh
# supervise.sh COMMAND [ARGS...]
#
# Runs COMMAND and stops it once this script's standard input reaches end-of-file. The harness keeps
# that pipe open for as long as it lives, so the pipe closes when the harness dies, however it dies
# (Ctrl-C, an interrupted test run, even SIGKILL): the control plane never outlives its owner.
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
{
  while read -r _ <&3; do :; done
  kill -TERM "$child" 2>/dev/null
  tries=0
  while kill -0 "$child" 2>/dev/null && [ "$tries" -lt 40 ]; do
    sleep 0.5
    tries=$((tries + 1))
  done
  kill -KILL "$child" 2>/dev/null
} <&- &
watcher=$!
status=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
kill "$watcher" 2>/dev/null
exit "$status"
