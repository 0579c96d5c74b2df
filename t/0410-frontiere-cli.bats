#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154
# frontiere-dispatch: invocation and configuration (spec §1, §2, §11, §13;
# Python CFG-001..012; integration tests 38-40; decisions 1, 8, 11).
# Everything runs locally over pipes: SSH_CONNECTION is never set, so the
# flags inside a -c string are honoured (decision 8).

bats_require_minimum_version 1.5.0

load lib/common
load lib/frontiere

# bats `run' itself does "$@" 2>&1, so a redirection around `run' (as in
# lib/frontiere.bash's fr_run) does not keep stderr out of $output: redirect
# inside the command instead.
p_errto() {
	local f=$1
	shift
	"$@" 2>"$f"
}

fr_run() {
	# shellcheck disable=SC2086
	run p_errto "$BSSH_TMP/stderr" env -i PATH="$PATH" ${FR_ENV:-} frontiere-dispatch "$@"
}

setup() {
	fr_setup
	P_IN=$BSSH_TMP/in
	P_ENV=()
}

# p_run ARGS...: like fr_run, with the NAME=VALUE words of P_ENV added to
# the environment (values may hold spaces).
p_run() {
	run p_errto "$BSSH_TMP/stderr" env -i PATH="$PATH" "${P_ENV[@]}" frontiere-dispatch "$@"
}

# p_in FORMAT ARGS...: write printf FORMAT ARGS... to $P_IN.
p_in() {
	# shellcheck disable=SC2059
	printf "$@" >"$P_IN"
}

# p_stderr_is STR: the program's stderr is exactly STR.
p_stderr_is() {
	local got
	got=$(fr_stderr)
	if [[ $got != "$1" ]]; then
		printf 'expected stderr: %s\ngot stderr: %s\n' "$1" "$got" >&2
		_bssh_diag "stderr mismatch"
		return 1
	fi
}

# p_stderr_empty: nothing on the program's stderr.
p_stderr_empty() {
	p_stderr_is ""
}

# The domains most tests use: actions at each level, and a tagged one.
p_domains() {
	cat <<EOF
[domains.t]
description = "Test domain"

[domains.t.actions.echo]
description = "Say hello"
level = "read"
execute = "/bin/echo hello"

[domains.t.actions.ops]
description = "Ops action"
level = "ops"
execute = "/bin/echo ops"

[domains.t.actions.admin]
description = "Admin action"
level = "admin"
execute = "/bin/echo admin"
EOF
}

p_config_ok() {
	p_domains | fr_config "$FR_CONF"
}

# p_cfg_error MSG: the config read from stdin is refused with MSG by
# --diagnostic --check-config: exit 129, nothing on stdout, one stderr line.
p_cfg_error() {
	fr_config
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	p_stderr_is "frontiere-dispatch: error: $1"
}

# p_response_is I JSON: the I-th (0-based) >>> line is exactly JSON.
p_response_is() {
	local got
	got=$(fr_responses | sed -n "$(($1 + 1))p")
	if [[ $got != "$2" ]]; then
		_bssh_diag "expected response $1: $2"
		return 1
	fi
}

BANNER='#> ssh-frontiere 3.1.0
+> capabilities session, help, body
#> type "help" for available commands'

# ---------------------------------------------------------------- -c flattening

@test "-c STRING is split on whitespace into flags: --level= and --config= inside it are honoured" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run -c "--level=ops --config=$FR_CONF ignored words" <"$P_IN"
	assert_success
	assert_output_contains ">> ops"
	p_response_is 0 '{"command":"t ops","status_code":0,"status_message":"executed","stdout":null,"stderr":null}'
}

@test "-c splitting collapses runs of spaces and tabs" {
	p_config_ok
	p_in 't admin\n.\n'
	fr_run -c "  --level=admin 	  --config=$FR_CONF	" <"$P_IN"
	assert_success
	assert_output_contains ">> admin"
}

@test "-c does no quote handling: a quoted word keeps its quotes and is not a flag" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run -c "\"--level=ops\" --config=$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
}

@test "-c anywhere in argv is flattened, other arguments are kept" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run --config="$FR_CONF" -c "--level=ops" <"$P_IN"
	assert_success
	assert_output_contains ">> ops"
}

@test "-c as the last argument is kept as-is and has no effect" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run --config="$FR_CONF" --level=ops -c <"$P_IN"
	assert_success
	assert_output_contains ">> ops"
}

@test "--check-config inside a -c string is honoured" {
	p_config_ok
	fr_run -c "--check-config --config=$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

@test "as a login shell (argv[0] -ssh-frontiere, no argument): level read and stderr names the program without its dash" {
	p_config_ok
	p_in 't echo\nt ops\n.\n'
	P_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	run p_errto "$BSSH_TMP/stderr" env -i PATH="$PATH" "${P_ENV[@]}" \
		bash -c 'exec -a -ssh-frontiere frontiere-dispatch' <"$P_IN"
	assert_status 131
	assert_output_contains ">> hello"
	[ "$(fr_json 1 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
	# decision 1: stderr uses basename(argv[0]) with the leading '-' removed
	run p_errto "$BSSH_TMP/stderr" env -i PATH="$PATH" \
		bash -c 'exec -a -ssh-frontiere frontiere-dispatch --config=/nonexistent/x.toml' </dev/null
	assert_status 129
	p_stderr_is "ssh-frontiere: error: service unavailable"
}

# ---------------------------------------------------------------- config path

@test "--config PATH (two arguments) selects the config" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --config "$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
}

@test "--config=PATH selects the config" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
}

@test "the first --config wins over later ones, in either form" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" --config /nonexistent/x.toml <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	fr_run --diagnostic --config /nonexistent/x.toml --config="$FR_CONF" <"$P_IN"
	assert_status 129
	assert_output_equals ""
	[[ $(fr_stderr) == "frontiere-dispatch: error: config not found: /nonexistent/x.toml: "* ]]
}

@test "a trailing --config with no value is skipped (SSH_FRONTIERE_CONFIG is used)" {
	p_config_ok
	p_in 't echo\n.\n'
	P_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	p_run --config <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
}

@test "SSH_FRONTIERE_CONFIG is used when there is no --config" {
	p_config_ok
	p_in 't echo\n.\n'
	P_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	p_run <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	P_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	p_run --check-config </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

@test "--config wins over SSH_FRONTIERE_CONFIG" {
	p_config_ok
	p_in 't echo\n.\n'
	P_ENV=("SSH_FRONTIERE_CONFIG=/nonexistent/env.toml")
	p_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	P_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	p_run --diagnostic --config=/nonexistent/flag.toml <"$P_IN"
	assert_status 129
	[[ $(fr_stderr) == "frontiere-dispatch: error: config not found: /nonexistent/flag.toml: "* ]]
}

@test "with no --config and no SSH_FRONTIERE_CONFIG the path is /etc/ssh-frontiere/config.toml" {
	if [[ -e /etc/ssh-frontiere/config.toml ]]; then
		skip "this machine has an /etc/ssh-frontiere/config.toml"
	fi
	fr_run --diagnostic --check-config </dev/null
	assert_status 129
	assert_output_equals ""
	[[ $(fr_stderr) == "frontiere-dispatch: error: config not found: /etc/ssh-frontiere/config.toml: "* ]]
}

# ---------------------------------------------------------------- --level

@test "without --level the base level is read" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_in 't ops\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_response_is 0 '{"command":"t ops","status_code":131,"status_message":"rejected: insufficient level (ops required, read granted)","stdout":null,"stderr":null}'
}

@test "--level=ops and --level=admin set the base level" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run --level=ops --config="$FR_CONF" <"$P_IN"
	assert_success
	p_in 't admin\n.\n'
	fr_run --level=ops --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
	fr_run --level=admin --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> admin"
}

@test "--level=: the last valid occurrence wins" {
	p_config_ok
	p_in 't admin\n.\n'
	fr_run --level=admin --level=ops --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
	fr_run --level=ops --level=admin --config="$FR_CONF" <"$P_IN"
	assert_success
}

@test "--level=: invalid values are skipped, the previous valid one stays" {
	p_config_ok
	p_in 't admin\n.\n'
	fr_run --level=admin --level=root --level= --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> admin"
}

@test "--level ops (two arguments) is ignored: the level stays read" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run --level ops --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
}

@test "--level=ADMIN is ignored: level values are case-sensitive" {
	p_config_ok
	p_in 't ops\n.\n'
	fr_run --level=ADMIN --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
	fr_run --level=admin --level=ADMIN --config="$FR_CONF" <"$P_IN"
	assert_success
}

@test "unknown arguments and wrong-case flags are silently ignored" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run -v --LEVEL=admin --Config=/nonexistent stray --config="$FR_CONF" -- <"$P_IN"
	assert_success
	assert_output_equals "$BANNER
>> hello
>>> {\"command\":\"t echo\",\"status_code\":0,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}"
	p_stderr_empty
}

@test "--help and --version as the program's own arguments answer and exit 0 (an addition to spec §1.3)" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --help --config="$FR_CONF" <"$P_IN"
	assert_success
	[[ $output == "usage: frontiere-dispatch "* ]]
	fr_run --version <"$P_IN"
	assert_success
	[[ $output == "frontiere-dispatch "*"(ssh-frontiere protocol 3.1.0)" ]]
}

@test "--help and --version inside a -c string are ignored like any unknown word" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run -c "--help --version --config=$FR_CONF" <"$P_IN"
	assert_success
	assert_output_equals "$BANNER
>> hello
>>> {\"command\":\"t echo\",\"status_code\":0,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}"
	p_stderr_empty
}

# ---------------------------------------------------------------- --check-config

@test "--check-config on a valid config prints 'Config OK: <path>' on stdout only, no banner, exit 0" {
	p_config_ok
	p_in 't echo\n.\n'
	fr_run --check-config --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	p_stderr_empty
}

@test "--check-config on an invalid TOML file exits 129 with no stdout and 'service unavailable'" {
	printf '[global\nlog_file = "%s"\n' "$FR_LOG" >"$FR_CONF"
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	p_stderr_is "frontiere-dispatch: error: service unavailable"
}

@test "--check-config on a missing file exits 129 (integration 40, CFG-001)" {
	fr_run --check-config --config="$BSSH_TMP/nonexistent.toml" </dev/null
	assert_status 129
	assert_output_equals ""
	p_stderr_is "frontiere-dispatch: error: service unavailable"
}

@test "--diagnostic --check-config on a TOML syntax error shows 'invalid TOML: line N: ...'" {
	printf '[global\nlog_file = "%s"\n' "$FR_LOG" >"$FR_CONF"
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	[ "$(fr_stderr | wc -l)" -eq 1 ]
	[[ $(fr_stderr) == "frontiere-dispatch: error: invalid TOML: line 1"* ]]
}

@test "a config error without --check-config: no banner, nothing on stdout, exit 129" {
	printf '[global\nlog_file = "%s"\n' "$FR_LOG" >"$FR_CONF"
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 129
	assert_output_equals ""
	p_stderr_is "frontiere-dispatch: error: service unavailable"
}

@test "--diagnostic shows the detail of a config error instead of 'service unavailable'" {
	fr_run --diagnostic --config="$BSSH_TMP/missing.toml" </dev/null
	assert_status 129
	assert_output_equals ""
	[ "$(fr_stderr | wc -l)" -eq 1 ]
	[[ $(fr_stderr) == "frontiere-dispatch: error: config not found: $BSSH_TMP/missing.toml: "?* ]]
	fr_run --config="$BSSH_TMP/missing.toml" </dev/null
	assert_status 129
	p_stderr_is "frontiere-dispatch: error: service unavailable"
}

@test "a validation error without --diagnostic is only 'service unavailable'" {
	fr_config <<EOF
[domains.t]
description = "no actions"
EOF
	fr_run --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	p_stderr_is "frontiere-dispatch: error: service unavailable"
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	p_stderr_is "frontiere-dispatch: error: service unavailable"
}

# ---------------------------------------------------------------- §11.7 messages

@test "validation: no domain -> 'no domain defined in configuration' (CFG-003)" {
	p_cfg_error "no domain defined in configuration" <<EOF
# nothing but [global]
EOF
}

@test "validation: a domain without actions -> 'domain '<d>' has no action defined' (CFG-004)" {
	p_cfg_error "domain 'orphan' has no action defined" <<EOF
[domains.orphan]
description = "Domain without action"
EOF
}

@test "validation: an empty action tag -> 'empty tag in <d>.<a>'" {
	p_cfg_error "empty tag in t.a" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo a"
tags = ["ok", ""]
EOF
}

@test "validation: a bad action tag is reported lowercased -> 'invalid tag '<t>' in <d>.<a>: ...'" {
	p_cfg_error "invalid tag 'bad.tag' in t.a: must be alphanumeric, hyphen or underscore" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo a"
tags = ["Bad.Tag"]
EOF
}

@test "validation: max_body_size = 0 -> 'max_body_size must be > 0 in <d>.<a>'" {
	p_cfg_error "max_body_size must be > 0 in t.a" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo a"
max_body_size = 0
EOF
}

@test "validation: a bad argument name -> 'invalid argument name '<n>' in <d>.<a>: ...'" {
	p_cfg_error "invalid argument name 'bad.name' in t.a: must be alphanumeric, hyphen or underscore" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo a"
[domains.t.actions.a.args]
"bad.name" = { free = true }
EOF
}

@test "validation: an enum without values -> 'enum argument '<n>' in <d>.<a> has no values'" {
	p_cfg_error "enum argument 'mode' in t.a has no values" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {mode}"
[domains.t.actions.a.args]
mode = { type = "enum" }
EOF
}

@test "validation: an enum with values = [] -> '... has empty values list' (CFG-011)" {
	p_cfg_error "enum argument 'mode' in t.a has empty values list" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "ops"
execute = "/bin/echo {mode}"
[domains.t.actions.a.args]
mode = { type = "enum", values = [] }
EOF
}

@test "validation: an enum default outside values -> 'default value ... is not in allowed values' (CFG-008)" {
	p_cfg_error "default value 'dev' for enum argument 'env' in t.a is not in allowed values" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "ops"
execute = "/bin/echo {env}"
[domains.t.actions.a.args]
env = { type = "enum", values = ["prod", "staging"], default = "dev" }
EOF
}

@test "validation: free = true skips the enum rules" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {env}"
[domains.t.actions.a.args]
env = { type = "enum", free = true, default = "dev" }
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

@test "validation: an orphan placeholder -> 'placeholder '{<n>}' in <d>.<a> has no matching argument definition' (CFG-009)" {
	p_cfg_error "placeholder '{version}' in t.a has no matching argument definition" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "ops"
execute = "/bin/echo {version}"
EOF
}

@test "validation: a token name with an underscore -> 'invalid token name '<id>': must be alphanumeric or hyphen'" {
	p_cfg_error "invalid token name 'bad_token': must be alphanumeric or hyphen" <<EOF
$(p_domains)

[auth.tokens.bad_token]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
}

@test "validation: a secret without b64: -> 'token '<id>' secret must start with 'b64:' prefix'" {
	p_cfg_error "token 'tk' secret must start with 'b64:' prefix" <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "c2VjcmV0"
level = "ops"
EOF
}

@test "validation: an invalid base64 character -> 'token '<id>' has invalid base64 secret: invalid base64 character: <c>' (CFG-010)" {
	p_cfg_error "token 'tk' has invalid base64 secret: invalid base64 character: !" <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "b64:ab!c"
level = "ops"
EOF
}

@test "validation: a 1-character trailing base64 group -> '... invalid base64: truncated input'" {
	p_cfg_error "token 'tk' has invalid base64 secret: invalid base64: truncated input" <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "b64:QUJDR"
level = "ops"
EOF
}

@test "validation: an empty token tag -> 'empty tag in token '<id>''" {
	p_cfg_error "empty tag in token 'tk'" <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
tags = [""]
EOF
}

@test "validation: a bad token tag -> 'invalid tag '<t>' in token '<id>': ...'" {
	p_cfg_error "invalid tag 'a b' in token 'tk': must be alphanumeric, hyphen or underscore" <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
tags = ["A B"]
EOF
}

@test "validation: max_stdout_chars > max_output_chars -> 'max_stdout_chars exceeds max_output_chars hard limit'" {
	p_cfg_error "max_stdout_chars exceeds max_output_chars hard limit" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 200
max_output_chars = 100

$(p_domains)
EOF
}

@test "validation: max_stderr_chars > max_output_chars -> 'max_stderr_chars exceeds max_output_chars hard limit'" {
	# the default max_output_chars (131072) is above the default stdout/stderr limits
	p_cfg_error "max_stderr_chars exceeds max_output_chars hard limit" <<EOF
[global]
log_file = "$FR_LOG"
max_stderr_chars = 131073

$(p_domains)
EOF
}

@test "validation is fail-fast in order: domains in key order, then tags, max_body_size, args, placeholders" {
	# domain 'a' (bad placeholder) is checked before domain 'b' (no action)
	p_cfg_error "placeholder '{x}' in a.act has no matching argument definition" <<EOF
[domains.b]
description = "B"
[domains.a]
description = "A"
[domains.a.actions.act]
description = "A"
level = "read"
execute = "/bin/echo {x}"
EOF
	# tags before max_body_size
	p_cfg_error "empty tag in t.a" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {x}"
max_body_size = 0
tags = [""]
EOF
	# max_body_size before arguments
	p_cfg_error "max_body_size must be > 0 in t.a" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {x}"
max_body_size = 0
[domains.t.actions.a.args]
mode = { type = "enum" }
EOF
	# arguments before placeholders
	p_cfg_error "enum argument 'mode' in t.a has no values" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {x}"
[domains.t.actions.a.args]
mode = { type = "enum" }
EOF
}

@test "validation order: domains before tokens, tokens before the output limits" {
	p_cfg_error "domain 'd' has no action defined" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 999999

[domains.d]
description = "D"

[auth.tokens.bad_name]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
	p_cfg_error "invalid token name 'bad_name': must be alphanumeric or hyphen" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 999999

$(p_domains)

[auth.tokens.bad_name]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
}

@test "parse errors are 'invalid TOML: ...': missing execute, missing level, unknown level (CFG-005..007)" {
	p_cfg_prefix() {
		fr_config
		fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
		assert_status 129
		assert_output_equals ""
		[ "$(fr_stderr | wc -l)" -eq 1 ]
		[[ $(fr_stderr) == "frontiere-dispatch: error: invalid TOML: "?* ]]
	}
	p_cfg_prefix <<EOF
[domains.t]
description = "T"
[domains.t.actions.check]
description = "Check"
level = "read"
EOF
	p_cfg_prefix <<EOF
[domains.t]
description = "T"
[domains.t.actions.check]
description = "Check"
execute = "/bin/echo ok"
EOF
	p_cfg_prefix <<EOF
[domains.t]
description = "T"
[domains.t.actions.check]
description = "Check"
level = "superadmin"
execute = "/bin/echo ok"
EOF
	p_cfg_prefix <<EOF
[domains.t]
description = "T"
[domains.t.actions.check]
description = "Check"
level = "Admin"
execute = "/bin/echo ok"
EOF
}

@test "parse errors: no [global], no log_file, a negative timeout, a domain without description, a wrong type" {
	p_cfg_prefix() {
		printf '%s\n' "$1" >"$FR_CONF"
		fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
		assert_status 129
		assert_output_equals ""
		[[ $(fr_stderr) == "frontiere-dispatch: error: invalid TOML: "?* ]]
	}
	local domains
	domains=$(p_domains)
	p_cfg_prefix "$domains"
	p_cfg_prefix "[global]
default_timeout = 5

$domains"
	p_cfg_prefix "[global]
log_file = \"$FR_LOG\"
default_timeout = -1

$domains"
	p_cfg_prefix "[global]
log_file = \"$FR_LOG\"
[domains.t.actions.a]
description = \"A\"
level = \"read\"
execute = \"/bin/echo a\""
	p_cfg_prefix "[global]
log_file = \"$FR_LOG\"
max_auth_failures = \"three\"

$domains"
	p_cfg_prefix "[global]
log_file = \"$FR_LOG\"

$domains
timeout = \"10\""
}

@test "args as an array (args = []) is a parse error, exit 129" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo a"
args = []
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	[[ $(fr_stderr) == "frontiere-dispatch: error: invalid TOML: "?* ]]
}

@test "args as an array of tables ([[...args]] with name =) is a parse error, exit 129" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {env}"
[[domains.t.actions.a.args]]
name = "env"
type = "enum"
values = ["a", "b"]
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	[[ $(fr_stderr) == "frontiere-dispatch: error: invalid TOML: "?* ]]
	p_in 't a env=a\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 129
	assert_output_equals ""
}

# ---------------------------------------------------------------- placeholders

@test "placeholder '{}' is refused" {
	p_cfg_error "placeholder '{}' in t.a has no matching argument definition" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {}"
EOF
}

@test "placeholder '{a{b}' is refused: the name runs to the first '}'" {
	p_cfg_error "placeholder '{a{b}' in t.a has no matching argument definition" <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "/bin/echo {a{b}"
[domains.t.actions.a.args]
a = { free = true, default = "x" }
b = { free = true, default = "y" }
EOF
}

@test "a '{' with no '}' after it stops the scan and is accepted" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "$FR_STUBS/p-args {v} x{ {nope"
[domains.t.actions.a.args]
v = { free = true, default = "val" }
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	p_in 't a\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> arg=[val]
>> arg=[x{]
>> arg=[{nope]"
}

@test "{domain} and declared arguments are valid placeholders; unused declared arguments are allowed" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.a]
description = "A"
level = "read"
execute = "$FR_STUBS/p-args {domain} --v={v}"
[domains.t.actions.a.args]
v = { free = true, default = "1" }
unused = { free = true, default = "2" }
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	p_in 't a v=abc\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> arg=[t]
>> arg=[--v=abc]"
}

# ---------------------------------------------------------------- leniency and defaults

@test "unknown keys are ignored everywhere (top level, global, domain, action, arg, auth, token)" {
	fr_config <<EOF
top_level_junk = 1

[global]
log_file = "$FR_LOG"
log_level = "debug"
default_level = "admin"
mask_sensitive = true
something_else = [1, 2]

[domains.t]
description = "T"
colour = "blue"

[domains.t.actions.echo]
description = "Echo"
level = "read"
execute = "$FR_STUBS/p-args {msg}"
sudo = true
[domains.t.actions.echo.args]
msg = { free = true, default = "d", hint = "x", sensitive = true }

[auth]
mode = "strict"

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
owner = "me"

[extra_table]
x = 1
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	p_stderr_empty
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> arg=[d]"
}

@test "defaults: a minimal config has no nonce and no session line, and does not log comments" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.echo]
description = "Echo"
level = "read"
execute = "/bin/echo hello"
EOF
	p_in '# a comment\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_equals "$BANNER
>> hello
>>> {\"command\":\"t echo\",\"status_code\":0,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}"
	run grep -c client_comment "$FR_LOG"
	assert_output_equals 0
}

@test "defaults: an [auth] with tokens and no challenge_nonce is simple mode (no challenge line)" {
	fr_config <<EOF
$(p_domains)

[auth]
[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
	p_in '+ auth token=tk proof=%s\nt ops\n.\n' "$(printf %s secret | sha256sum | cut -d' ' -f1)"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	assert_line_equals 2 '#> type "help" for available commands'
	assert_line_equals 3 "#> auth ok, level=ops"
	assert_output_not_contains "challenge"
}

@test "defaults: max_auth_failures is 3" {
	fr_config <<EOF
$(p_domains)

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
	p_in '+ auth token=tk proof=00\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains "#> authentication failed (1/3)"
}

# ---------------------------------------------------------------- tags, tokens, base64

@test "tags are lowercased at load: action tag Secret-Tag matches token tag secret-tag" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.hidden]
description = "Tagged"
level = "read"
execute = "/bin/echo tagged"
tags = ["Secret-Tag", "SECRET-TAG"]

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "read"
tags = ["secret-tag"]
EOF
	p_in 't hidden\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: access denied (tag mismatch)" ]
	p_in '+ auth token=tk proof=%s\nt hidden\n.\n' "$(printf %s secret | sha256sum | cut -d' ' -f1)"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> tagged"
	p_stderr_empty
}

@test "token tags are lowercased too: token tag Secret-Tag matches action tag secret-tag, no warning" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.hidden]
description = "Tagged"
level = "read"
execute = "/bin/echo tagged"
tags = ["secret-tag"]

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "read"
tags = ["Secret-Tag"]
EOF
	p_in '+ auth token=tk proof=%s\nt hidden\n.\n' "$(printf %s secret | sha256sum | cut -d' ' -f1)"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> tagged"
	p_stderr_empty
}

@test "a token tag that no action carries is a warning on stderr, on every load, not an error" {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.echo]
description = "Echo"
level = "read"
execute = "/bin/echo hello"
tags = ["real"]

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "read"
tags = ["real", "Ghost"]
EOF
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	p_stderr_is "frontiere-dispatch: warning: tag 'ghost' on token 'tk' does not match any action"
	p_in '+ auth token=tk proof=%s\nt echo\n.\n' "$(printf %s secret | sha256sum | cut -d' ' -f1)"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	p_stderr_is "frontiere-dispatch: warning: tag 'ghost' on token 'tk' does not match any action"
}

@test "base64 secrets are decoded leniently: '=' anywhere is dropped, surrounding spaces trimmed" {
	fr_config <<EOF
$(p_domains)

[auth.tokens.eq]
secret = "b64:c2Vj=cmV0="
level = "ops"

[auth.tokens.sp]
secret = "b64:  c2VjcmV0  "
level = "admin"
EOF
	local proof
	proof=$(printf %s secret | sha256sum | cut -d' ' -f1)
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	p_in '+ auth token=eq proof=%s\nt ops\n.\n' "$proof"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains "#> auth ok, level=ops"
	p_in '+ auth token=sp proof=%s\nt admin\n.\n' "$proof"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains "#> auth ok, level=admin"
}

@test "'b64:' with nothing after it is a valid, empty secret" {
	fr_config <<EOF
$(p_domains)

[auth.tokens.empty]
secret = "b64:"
level = "ops"
EOF
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	# sha256 of the empty string
	p_in '+ auth token=empty proof=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nt ops\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains "#> auth ok, level=ops"
}

# ---------------------------------------------------------------- scenario suites

@test "CFG-012: a log_file that cannot be created does not stop the command (exit 0)" {
	: >"$BSSH_TMP/plainfile"
	fr_config <<EOF
[global]
log_file = "$BSSH_TMP/plainfile/sub/commands.json"

$(p_domains)
EOF
	p_in '\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	p_stderr_empty
}

@test "integration 38-40: check-config valid, invalid TOML and missing file" {
	p_config_ok
	fr_run --level=read --config="$FR_CONF" --check-config </dev/null
	assert_success
	assert_output_contains "Config OK"
	printf 'this is [ not toml\n' >"$BSSH_TMP/bad.toml"
	fr_run --config="$BSSH_TMP/bad.toml" --check-config </dev/null
	assert_status 129
	[ -n "$(fr_stderr)" ]
	fr_run --config="$BSSH_TMP/none.toml" --check-config </dev/null
	assert_status 129
}
