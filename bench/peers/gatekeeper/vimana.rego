# The single-object Vimana rules (F1 F2 F3 F4/X1 F5 F6 F10 F12 F13 X2 X5 X7) as a Gatekeeper
# ConstraintTemplate in Rego, as a Gatekeeper user writes them. The double-braced placeholders are prismgate's own
# patterns (features/vimana/patterns.ts), filled in by gatekeeper.ts. A required field that is absent
# breaks its rule, as in the CEL forms (where reading it is an error, which denies).
package benchvimanarego

kind := input.review.kind.kind

spec := input.review.object.spec

field(name) := value {
	value := object.get(spec, name, null)
}

matches_string(pattern, value) {
	is_string(value)
	regex.match(pattern, value)
}

# F13: every kind but Vimana has a spec.
violation[{"msg": "spec is required (rule F13)"}] {
	kind != "Vimana"
	not is_object(object.get(input.review.object, "spec", null))
}

# Component

violation[{"msg": "spec.version must be MAJOR.MINOR.PATCH with an optional undotted pre-release (rule F3)"}] {
	kind == "Component"
	is_object(spec)
	not version_ok(field("version"))
}

version_ok(version) {
	matches_string({{VERSION}}, version)
	count(version) <= 63
}

violation[{"msg": "spec.server must be a lowercase DNS label (rule F2)"}] {
	kind == "Component"
	is_object(spec)
	not matches_string({{SERVER_ID}}, field("server"))
}

violation[{"msg": "spec.domain must be 32 lowercase hex characters (rule F1)"}] {
	kind == "Component"
	is_object(spec)
	not matches_string({{DOMAIN_ID}}, field("domain"))
}

violation[{"msg": "spec.image must be <registry>/<spec.domain>/<spec.server>:<spec.version> (rules F4, X1)"}] {
	kind == "Component"
	is_object(spec)
	not image_ok
}

image_ok {
	parts := split(field("image"), "/")
	count(parts) == 3
	concat("/", [parts[1], parts[2]]) == concat("", [field("domain"), "/", field("server"), ":", field("version")])
}

# Server

violation[{"msg": "spec.id must be a lowercase DNS label (rules F2, F13)"}] {
	kind == "Server"
	is_object(spec)
	not matches_string({{SERVER_ID}}, field("id"))
}

violation[{"msg": "spec.domain must be 32 lowercase hex characters (rules F1, F13)"}] {
	kind == "Server"
	is_object(spec)
	not matches_string({{DOMAIN_ID}}, field("domain"))
}

violation[{"msg": "spec.services must not be empty (rule X7)"}] {
	kind == "Server"
	is_object(spec)
	not services_present
}

services_present {
	is_array(field("services"))
	count(field("services")) > 0
}

violation[{"msg": "spec.services must be fully-qualified gRPC service names (rule F5)"}] {
	kind == "Server"
	service := spec.services[_]
	not service_ok(service)
}

service_ok(service) {
	matches_string({{GRPC_SERVICE}}, service)
	count(service) <= 1024
}

violation[{"msg": "spec.versionWeights must map versions to weights in [0, 1000000] (rules X5, F12)"}] {
	kind == "Server"
	weight := spec.versionWeights[version]
	not weight_ok(version, weight)
}

weight_ok(version, weight) {
	regex.match({{VERSION}}, version)
	is_number(weight)
	weight >= 0
	weight <= 1000000
}

# Domain

violation[{"msg": "spec.id must be 32 lowercase hex characters (rules F1, F13)"}] {
	kind == "Domain"
	is_object(spec)
	not matches_string({{DOMAIN_ID}}, field("id"))
}

violation[{"msg": "spec.vimana is required (rule F13)"}] {
	kind == "Domain"
	is_object(spec)
	not vimana_named
}

vimana_named {
	is_string(field("vimana"))
	field("vimana") != ""
}

violation[{"msg": "spec.aliases must be lowercase DNS hostnames outside the canonical suffix (rule F6)"}] {
	kind == "Domain"
	alias := spec.aliases[_]
	not alias_ok(alias)
}

alias_ok(alias) {
	matches_string({{HOSTNAME}}, alias)
	count(alias) <= 253
	contains(alias, ".")
	not regex.match(`[.][0-9]+$`, alias)
	not endswith(alias, {{CANONICAL_SUFFIX}})
}

violation[{"msg": "spec.grpc.reflection: noneBut and allBut are mutually exclusive (rule X2)"}] {
	kind == "Domain"
	reflection := spec.grpc.reflection
	_ = reflection.noneBut
	_ = reflection.allBut
}

# Vimana

violation[{"msg": "metadata.name must be a DNS label of at most 55 characters (rule F10)"}] {
	kind == "Vimana"
	not vimana_name_ok(input.review.object.metadata.name)
}

vimana_name_ok(name) {
	matches_string({{VIMANA_NAME}}, name)
	count(name) <= 55
}
