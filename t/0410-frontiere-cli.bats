#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2034,SC2154
# frontiere-dispatch: invocation and configuration (spec §1, §2, §11, §13;
# Python CFG-001..012; integration tests 38-40; decisions 1, 8, 11).
# Everything runs locally over pipes: SSH_CONNECTION is never set, so the
# flags inside a -c string are honoured (decision 8).

bats_require_minimum_version 1.5.0

load lib/common
load lib/frontiere

setup() {
	fr_setup
}

# The domains most tests use: actions at each level.
p_config_ok() {
	fr_domains | fr_config
}

# t_a EXECUTE [LEVEL [ARG-LINE...]]: domain t with one action a (level read
# by default), and its [...args] table with those lines when there are any.
t_a() {
	printf '[domains.t]\ndescription = "T"\n[domains.t.actions.a]\ndescription = "A"\nlevel = "%s"\nexecute = "%s"\n' \
		"${2:-read}" "$1"
	if [[ $# -gt 2 ]]; then
		printf '[domains.t.actions.a.args]\n'
		printf '%s\n' "${@:3}"
	fi
}

# tk_tagged ACTION-TAGS TOKEN-TAGS ACTION WORD: action t.ACTION (level
# read, /bin/echo WORD) carrying ACTION-TAGS, and token tk (secret "secret",
# level read) carrying TOKEN-TAGS.
tk_tagged() {
	fr_config <<EOF
[domains.t]
description = "T"
[domains.t.actions.$3]
description = "Tagged"
level = "read"
execute = "/bin/echo $4"
tags = [$1]

[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "read"
tags = [$2]
EOF
}

# p_token NAME SECRET [LEVEL] [TAGS]: the TOML of the domains plus one token.
p_token() {
	cat <<EOF
$(fr_domains)

[auth.tokens.$1]
secret = "$2"
level = "${3:-ops}"
${4:+tags = $4}
EOF
}

# p_unavailable: exit 129, nothing on stdout, 'service unavailable' on stderr.
p_unavailable() {
	assert_status 129
	assert_output_equals ""
	fr_stderr_is "frontiere-dispatch: error: service unavailable"
}

# p_not_found PATH: exit 129, nothing on stdout, one 'config not found' line
# with the reason after the path.
p_not_found() {
	assert_status 129
	assert_output_equals ""
	expect_eq "$(fr_stderr | wc -l)" 1
	[[ $(fr_stderr) == "frontiere-dispatch: error: config not found: $1: "?* ]] ||
		{ _bssh_diag "stderr: $(fr_stderr)"; return 1; }
}

# p_bad_toml: a config that is not TOML ('[global' is not closed).
p_bad_toml() {
	printf '[global\nlog_file = "%s"\n' "$FR_LOG"
}

# p_hello_only: the banner, '>> hello' and its response, nothing on stderr.
p_hello_only() {
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $(fr_reply 't echo' executed 0)"
	fr_stderr_is ""
}


# ---------------------------------------------------------------- -c flattening

@test "-c STRING is split on whitespace into flags: --level= and --config= inside it are honoured" {
	p_config_ok
	fr_run -c "--level=ops --config=$FR_CONF ignored words" <<<$'t ops\n.'
	assert_success
	assert_output_contains ">> ops"
	fr_response_is 0 "$(fr_reply 't ops' executed 0)"
}

@test "-c splitting collapses runs of spaces and tabs" {
	p_config_ok
	fr_run -c "  --level=admin 	  --config=$FR_CONF	" <<<$'t admin\n.'
	assert_success
	assert_output_contains ">> admin"
}

@test "-c does no quote handling: a quoted word keeps its quotes and is not a flag" {
	p_config_ok
	fr_run -c "\"--level=ops\" --config=$FR_CONF" <<<$'t ops\n.'
	assert_status 131
	fr_message_is 0 "$(fr_denied ops read)"
}

@test "-c anywhere in argv is flattened, other arguments are kept" {
	p_config_ok
	fr_run --config="$FR_CONF" -c "--level=ops" <<<$'t ops\n.'
	assert_success
	assert_output_contains ">> ops"
}

@test "-c as the last argument is kept as-is and has no effect" {
	p_config_ok
	fr_run --config="$FR_CONF" --level=ops -c <<<$'t ops\n.'
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
	FR_ARGV0=-ssh-frontiere
	FR_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	fr_run <<<$'t echo\nt ops\n.'
	assert_status 131
	assert_output_contains ">> hello"
	fr_message_is 1 "$(fr_denied ops read)"
	# decision 1: stderr uses basename(argv[0]) with the leading '-' removed
	FR_ENV=()
	fr_run --config=/nonexistent/x.toml </dev/null
	assert_status 129
	fr_stderr_is "ssh-frontiere: error: service unavailable"
}

# ---------------------------------------------------------------- config path

@test "--config PATH (two arguments) selects the config" {
	p_config_ok
	fr_run --config "$FR_CONF" <<<$'t echo\n.'
	p_hello_only
}

@test "--config=PATH selects the config" {
	p_config_ok
	fr_feed 't echo\n.\n'
	p_hello_only
}

@test "the first --config wins over later ones, in either form" {
	p_config_ok
	fr_run --config="$FR_CONF" --config /nonexistent/x.toml <<<$'t echo\n.'
	assert_success
	assert_output_contains ">> hello"
	fr_run --diagnostic --config /nonexistent/x.toml --config="$FR_CONF" <<<$'t echo\n.'
	p_not_found /nonexistent/x.toml
}

@test "a trailing --config with no value is skipped (SSH_FRONTIERE_CONFIG is used)" {
	p_config_ok
	FR_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	fr_run --config <<<$'t echo\n.'
	p_hello_only
}

@test "SSH_FRONTIERE_CONFIG is used when there is no --config" {
	p_config_ok
	FR_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	fr_run <<<$'t echo\n.'
	p_hello_only
	fr_run --check-config </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

@test "--config wins over SSH_FRONTIERE_CONFIG" {
	p_config_ok
	FR_ENV=("SSH_FRONTIERE_CONFIG=/nonexistent/env.toml")
	fr_feed 't echo\n.\n'
	p_hello_only
	FR_ENV=("SSH_FRONTIERE_CONFIG=$FR_CONF")
	fr_run --diagnostic --config=/nonexistent/flag.toml <"$FR_IN"
	p_not_found /nonexistent/flag.toml
}

@test "with no --config and no SSH_FRONTIERE_CONFIG the path is /etc/ssh-frontiere/config.toml" {
	if [[ -e /etc/ssh-frontiere/config.toml ]]; then
		skip "this machine has an /etc/ssh-frontiere/config.toml"
	fi
	fr_run --diagnostic --check-config </dev/null
	p_not_found /etc/ssh-frontiere/config.toml
}

# ---------------------------------------------------------------- --level

@test "without --level the base level is read" {
	p_config_ok
	fr_feed 't echo\n.\n'
	assert_success
	fr_feed 't ops\n.\n'
	assert_status 131
	fr_response_is 0 "$(fr_reply 't ops' "$(fr_denied ops read)" 131)"
}

@test "--level=ops and --level=admin set the base level" {
	p_config_ok
	fr_feed --level=ops 't ops\n.\n'
	assert_success
	fr_feed --level=ops 't admin\n.\n'
	assert_status 131
	fr_message_is 0 "$(fr_denied admin ops)"
	fr_feed --level=admin 't admin\n.\n'
	assert_success
	assert_output_contains ">> admin"
}

@test "--level=: the last valid occurrence wins" {
	p_config_ok
	fr_feed --level=admin --level=ops 't admin\n.\n'
	assert_status 131
	fr_message_is 0 "$(fr_denied admin ops)"
	fr_feed --level=ops --level=admin 't admin\n.\n'
	assert_success
}

@test "--level=: invalid values are skipped, the previous valid one stays" {
	p_config_ok
	fr_feed --level=admin --level=root --level= 't admin\n.\n'
	assert_success
	assert_output_contains ">> admin"
}

@test "--level ops (two arguments) is ignored: the level stays read" {
	p_config_ok
	fr_run --level ops --config="$FR_CONF" <<<$'t ops\n.'
	assert_status 131
	fr_message_is 0 "$(fr_denied ops read)"
}

@test "--level=ADMIN is ignored: level values are case-sensitive" {
	p_config_ok
	fr_feed --level=ADMIN 't ops\n.\n'
	assert_status 131
	fr_message_is 0 "$(fr_denied ops read)"
	fr_feed --level=admin --level=ADMIN 't ops\n.\n'
	assert_success
}

@test "unknown arguments and wrong-case flags are silently ignored" {
	p_config_ok
	fr_run -v --LEVEL=admin --Config=/nonexistent stray --config="$FR_CONF" -- <<<$'t echo\n.'
	p_hello_only
}

@test "--help and --version as the program's own arguments answer and exit 0 (an addition to spec §1.3)" {
	p_config_ok
	fr_run --help --config="$FR_CONF" <<<$'t echo\n.'
	assert_success
	expect_prefix "$output" "usage: frontiere-dispatch "
	fr_run --version <<<$'t echo\n.'
	assert_success
	[[ $output == "frontiere-dispatch "*"(ssh-frontiere protocol 3.1.0)" ]]
}

@test "--help and --version inside a -c string are ignored like any unknown word" {
	p_config_ok
	fr_run -c "--help --version --config=$FR_CONF" <<<$'t echo\n.'
	p_hello_only
}

# ---------------------------------------------------------------- --check-config

@test "--check-config on a valid config prints 'Config OK: <path>' on stdout only, no banner, exit 0" {
	p_config_ok
	fr_run --check-config --config="$FR_CONF" <<<$'t echo\n.'
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	fr_stderr_is ""
}

@test "--check-config on an invalid TOML file exits 129 with no stdout and 'service unavailable'" {
	p_bad_toml | fr_config --raw
	fr_run --check-config --config="$FR_CONF" </dev/null
	p_unavailable
}

@test "--check-config on a missing file exits 129 (integration 40, CFG-001)" {
	fr_run --check-config --config="$BSSH_TMP/nonexistent.toml" </dev/null
	p_unavailable
}

@test "--diagnostic --check-config on a TOML syntax error shows 'invalid TOML: line N: ...'" {
	expect_config_error --raw 'invalid TOML: line 1*' < <(p_bad_toml)
}

@test "a config error without --check-config: no banner, nothing on stdout, exit 129" {
	p_bad_toml | fr_config --raw
	fr_feed 't echo\n.\n'
	p_unavailable
}

@test "--diagnostic shows the detail of a config error instead of 'service unavailable'" {
	fr_run --diagnostic --config="$BSSH_TMP/missing.toml" </dev/null
	p_not_found "$BSSH_TMP/missing.toml"
	fr_run --config="$BSSH_TMP/missing.toml" </dev/null
	p_unavailable
}

@test "a validation error without --diagnostic is only 'service unavailable'" {
	printf '[domains.t]\ndescription = "no actions"\n' | fr_config
	fr_feed </dev/null
	p_unavailable
	fr_run --check-config --config="$FR_CONF" </dev/null
	p_unavailable
}

# ---------------------------------------------------------------- §11.7 messages

@test "validation: no domain -> 'no domain defined in configuration' (CFG-003)" {
	expect_config_error "no domain defined in configuration" <<<"# nothing but [global]"
}

@test "validation: a domain without actions -> 'domain '<d>' has no action defined' (CFG-004)" {
	expect_config_error "domain 'orphan' has no action defined" <<EOF
[domains.orphan]
description = "Domain without action"
EOF
}

@test "validation: an empty action tag -> 'empty tag in <d>.<a>'" {
	expect_config_error "empty tag in t.a" <<EOF
$(t_a "/bin/echo a")
tags = ["ok", ""]
EOF
}

@test "validation: a bad action tag is reported lowercased -> 'invalid tag '<t>' in <d>.<a>: ...'" {
	expect_config_error "invalid tag 'bad.tag' in t.a: must be alphanumeric, hyphen or underscore" <<EOF
$(t_a "/bin/echo a")
tags = ["Bad.Tag"]
EOF
}

@test "validation: max_body_size = 0 -> 'max_body_size must be > 0 in <d>.<a>'" {
	expect_config_error "max_body_size must be > 0 in t.a" <<EOF
$(t_a "/bin/echo a")
max_body_size = 0
EOF
}

@test "validation: a bad argument name -> 'invalid argument name '<n>' in <d>.<a>: ...'" {
	expect_config_error "invalid argument name 'bad.name' in t.a: must be alphanumeric, hyphen or underscore" <<<"$(t_a "/bin/echo a" read '"bad.name" = { free = true }')"
}

@test "validation: an enum without values -> 'enum argument '<n>' in <d>.<a> has no values'" {
	expect_config_error "enum argument 'mode' in t.a has no values" <<<"$(t_a "/bin/echo {mode}" read 'mode = { type = "enum" }')"
}

@test "validation: an enum with values = [] -> '... has empty values list' (CFG-011)" {
	expect_config_error "enum argument 'mode' in t.a has empty values list" <<<"$(t_a "/bin/echo {mode}" ops 'mode = { type = "enum", values = [] }')"
}

@test "validation: an enum default outside values -> 'default value ... is not in allowed values' (CFG-008)" {
	expect_config_error "default value 'dev' for enum argument 'env' in t.a is not in allowed values" <<<"$(t_a "/bin/echo {env}" ops 'env = { type = "enum", values = ["prod", "staging"], default = "dev" }')"
}

@test "validation: free = true skips the enum rules" {
	t_a "/bin/echo {env}" read 'env = { type = "enum", free = true, default = "dev" }' | fr_config
	expect_config_ok
}

@test "validation: an orphan placeholder -> 'placeholder '{<n>}' in <d>.<a> has no matching argument definition' (CFG-009)" {
	expect_config_error "placeholder '{version}' in t.a has no matching argument definition" <<<"$(t_a "/bin/echo {version}" ops)"
}

@test "validation: a token name with an underscore -> 'invalid token name '<id>': must be alphanumeric or hyphen'" {
	expect_config_error "invalid token name 'bad_token': must be alphanumeric or hyphen" <<<"$(p_token bad_token b64:c2VjcmV0)"
}

@test "validation: a secret without b64: -> 'token '<id>' secret must start with 'b64:' prefix'" {
	expect_config_error "token 'tk' secret must start with 'b64:' prefix" <<<"$(p_token tk c2VjcmV0)"
}

@test "validation: an invalid base64 character -> 'token '<id>' has invalid base64 secret: invalid base64 character: <c>' (CFG-010)" {
	expect_config_error "token 'tk' has invalid base64 secret: invalid base64 character: !" <<<"$(p_token tk 'b64:ab!c')"
}

@test "validation: a 1-character trailing base64 group -> '... invalid base64: truncated input'" {
	expect_config_error "token 'tk' has invalid base64 secret: invalid base64: truncated input" <<<"$(p_token tk b64:QUJDR)"
}

@test "validation: an empty token tag -> 'empty tag in token '<id>''" {
	expect_config_error "empty tag in token 'tk'" <<<"$(p_token tk b64:c2VjcmV0 ops '[""]')"
}

@test "validation: a bad token tag -> 'invalid tag '<t>' in token '<id>': ...'" {
	expect_config_error "invalid tag 'a b' in token 'tk': must be alphanumeric, hyphen or underscore" <<<"$(p_token tk b64:c2VjcmV0 ops '["A B"]')"
}

@test "validation: max_stdout_chars > max_output_chars -> 'max_stdout_chars exceeds max_output_chars hard limit'" {
	expect_config_error "max_stdout_chars exceeds max_output_chars hard limit" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 200
max_output_chars = 100

$(fr_domains)
EOF
}

@test "validation: max_stderr_chars > max_output_chars -> 'max_stderr_chars exceeds max_output_chars hard limit'" {
	# the default max_output_chars (131072) is above the default stdout/stderr limits
	expect_config_error "max_stderr_chars exceeds max_output_chars hard limit" <<EOF
[global]
log_file = "$FR_LOG"
max_stderr_chars = 131073

$(fr_domains)
EOF
}

@test "validation is fail-fast in order: domains in key order, then tags, max_body_size, args, placeholders" {
	# domain 'a' (bad placeholder) is checked before domain 'b' (no action)
	expect_config_error "placeholder '{x}' in a.act has no matching argument definition" <<EOF
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
	expect_config_error "empty tag in t.a" <<EOF
$(t_a "/bin/echo {x}")
max_body_size = 0
tags = [""]
EOF
	# max_body_size before arguments
	expect_config_error "max_body_size must be > 0 in t.a" <<EOF
$(t_a "/bin/echo {x}")
max_body_size = 0
[domains.t.actions.a.args]
mode = { type = "enum" }
EOF
	# arguments before placeholders
	expect_config_error "enum argument 'mode' in t.a has no values" <<<"$(t_a "/bin/echo {x}" read 'mode = { type = "enum" }')"
}

@test "validation order: domains before tokens, tokens before the output limits" {
	local tail='[auth.tokens.bad_name]
secret = "b64:c2VjcmV0"
level = "ops"'
	expect_config_error "domain 'd' has no action defined" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 999999

[domains.d]
description = "D"

$tail
EOF
	expect_config_error "invalid token name 'bad_name': must be alphanumeric or hyphen" <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 999999

$(fr_domains)

$tail
EOF
}

@test "parse errors are 'invalid TOML: ...': missing execute, missing level, unknown level (CFG-005..007)" {
	local head='[domains.t]
description = "T"
[domains.t.actions.check]
description = "Check"'
	expect_config_error 'invalid TOML: *' <<<"$head
level = \"read\""
	expect_config_error 'invalid TOML: *' <<<"$head
execute = \"/bin/echo ok\""
	local level
	for level in superadmin Admin; do
		expect_config_error 'invalid TOML: *' <<<"$head
level = \"$level\"
execute = \"/bin/echo ok\""
	done
}

@test "parse errors: no [global], no log_file, a negative timeout, a domain without description, a wrong type" {
	local domains log="log_file = \"$FR_LOG\""
	domains=$(fr_domains)
	expect_config_error --raw 'invalid TOML: *' <<<"$domains"
	expect_config_error --raw 'invalid TOML: *' <<<"[global]
default_timeout = 5

$domains"
	expect_config_error --raw 'invalid TOML: *' <<<"[global]
$log
default_timeout = -1

$domains"
	expect_config_error --raw 'invalid TOML: *' <<<"[global]
$log
[domains.t.actions.a]
description = \"A\"
level = \"read\"
execute = \"/bin/echo a\""
	expect_config_error --raw 'invalid TOML: *' <<<"[global]
$log
max_auth_failures = \"three\"

$domains"
	expect_config_error --raw 'invalid TOML: *' <<<"[global]
$log

$domains
timeout = \"10\""
}

@test "args as an array (args = []) is a parse error, exit 129" {
	expect_config_error 'invalid TOML: *' <<EOF
$(t_a "/bin/echo a")
args = []
EOF
}

@test "args as an array of tables ([[...args]] with name =) is a parse error, exit 129" {
	expect_config_error 'invalid TOML: *' <<EOF
$(t_a "/bin/echo {env}")
[[domains.t.actions.a.args]]
name = "env"
type = "enum"
values = ["a", "b"]
EOF
	fr_feed 't a env=a\n.\n'
	assert_status 129
	assert_output_equals ""
}

# ---------------------------------------------------------------- placeholders

@test "placeholder '{}' is refused" {
	expect_config_error "placeholder '{}' in t.a has no matching argument definition" <<<"$(t_a "/bin/echo {}")"
}

@test "placeholder '{a{b}' is refused: the name runs to the first '}'" {
	expect_config_error "placeholder '{a{b}' in t.a has no matching argument definition" <<<"$(t_a "/bin/echo {a{b}" read 'a = { free = true, default = "x" }' 'b = { free = true, default = "y" }')"
}

@test "a '{' with no '}' after it stops the scan and is accepted" {
	t_a "$FR_STUBS/c-args.sh {v} x{ {nope" read 'v = { free = true, default = "val" }' | fr_config
	expect_config_ok
	fr_feed 't a\n.\n'
	assert_success
	assert_output_contains ">> argc=3
>> [val]
>> [x{]
>> [{nope]"
}

@test "{domain} and declared arguments are valid placeholders; unused declared arguments are allowed" {
	t_a "$FR_STUBS/c-args.sh {domain} --v={v}" read 'v = { free = true, default = "1" }' 'unused = { free = true, default = "2" }' | fr_config
	expect_config_ok
	fr_feed 't a v=abc\n.\n'
	assert_success
	assert_output_contains ">> argc=2
>> [t]
>> [--v=abc]"
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
execute = "$FR_STUBS/c-args.sh {msg}"
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
	expect_config_ok
	fr_stderr_is ""
	fr_feed 't echo\n.\n'
	assert_success
	assert_output_contains ">> argc=1
>> [d]"
}

@test "defaults: a minimal config has no nonce and no session line, and does not log comments" {
	t_a /bin/echo\ hello | fr_config
	fr_feed '# a comment\nt a\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $(fr_reply 't a' executed 0)"
	run grep -c client_comment "$FR_LOG"
	assert_output_equals 0
}

@test "defaults: an [auth] with tokens and no challenge_nonce is simple mode (no challenge line)" {
	fr_config <<EOF
$(fr_domains)

[auth]
[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
	fr_feed '+ auth token=tk proof=%s\nt ops\n.\n' "$(fr_sproof secret)"
	assert_success
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	assert_line_equals 2 '#> type "help" for available commands'
	assert_line_equals 3 "#> auth ok, level=ops"
	assert_output_not_contains "challenge"
}

@test "defaults: max_auth_failures is 3" {
	p_token tk b64:c2VjcmV0 | fr_config
	fr_feed '+ auth token=tk proof=00\nt echo\n.\n'
	assert_success
	assert_output_contains "#> authentication failed (1/3)"
}

# ---------------------------------------------------------------- tags, tokens, base64

@test "tags are lowercased at load: action tag Secret-Tag matches token tag secret-tag" {
	tk_tagged '"Secret-Tag", "SECRET-TAG"' '"secret-tag"' hidden tagged
	fr_feed 't hidden\n.\n'
	assert_status 131
	fr_message_is 0 "rejected: access denied (tag mismatch)"
	fr_feed '+ auth token=tk proof=%s\nt hidden\n.\n' "$(fr_sproof secret)"
	assert_success
	assert_output_contains ">> tagged"
	fr_stderr_is ""
}

@test "token tags are lowercased too: token tag Secret-Tag matches action tag secret-tag, no warning" {
	tk_tagged '"secret-tag"' '"Secret-Tag"' hidden tagged
	fr_feed '+ auth token=tk proof=%s\nt hidden\n.\n' "$(fr_sproof secret)"
	assert_success
	assert_output_contains ">> tagged"
	fr_stderr_is ""
}

@test "a token tag that no action carries is a warning on stderr, on every load, not an error" {
	local warning="frontiere-dispatch: warning: tag 'ghost' on token 'tk' does not match any action"
	tk_tagged '"real"' '"real", "Ghost"' echo hello
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
	fr_stderr_is "$warning"
	fr_feed '+ auth token=tk proof=%s\nt echo\n.\n' "$(fr_sproof secret)"
	assert_success
	assert_output_contains ">> hello"
	fr_stderr_is "$warning"
}

@test "base64 secrets are decoded leniently: '=' anywhere is dropped, surrounding spaces trimmed" {
	fr_config <<EOF
$(fr_domains)

[auth.tokens.eq]
secret = "b64:c2Vj=cmV0="
level = "ops"

[auth.tokens.sp]
secret = "b64:  c2VjcmV0  "
level = "admin"
EOF
	expect_config_ok
	local tk
	for tk in eq:ops sp:admin; do
		fr_feed '+ auth token=%s proof=%s\nt %s\n.\n' "${tk%:*}" "$(fr_sproof secret)" "${tk#*:}"
		assert_success
		assert_output_contains "#> auth ok, level=${tk#*:}"
	done
}

@test "'b64:' with nothing after it is a valid, empty secret" {
	p_token empty b64: | fr_config
	expect_config_ok
	# sha256 of the empty string
	fr_feed '+ auth token=empty proof=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nt ops\n.\n'
	assert_success
	assert_output_contains "#> auth ok, level=ops"
}

# ---------------------------------------------------------------- scenario suites

@test "CFG-012: a log_file that cannot be created does not stop the command (exit 0)" {
	: >"$BSSH_TMP/plainfile"
	fr_config <<EOF
[global]
log_file = "$BSSH_TMP/plainfile/sub/commands.json"

$(fr_domains)
EOF
	fr_feed '\nt echo\n.\n'
	p_hello_only
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
