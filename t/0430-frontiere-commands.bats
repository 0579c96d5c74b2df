#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2034
# frontiere-dispatch, black box: the command grammar and what a command
# resolves to (spec §5-§8): chains, single commands, named arguments,
# transposition, RBAC, help and list, the >>> JSON, the status catalogue,
# and the ports of conformance-scenarios.json and tests/integration.rs (§15.2).

load lib/common
load lib/frontiere

setup() {
	fr_setup
	std_config
}

# --- helpers -----------------------------------------------------------------

# std_config: domains test, demo and admin (the integration fixture's shape)
std_config() {
	fr_config <<EOF
[domains.test]
description = "Test domain"

$(fr_action test.echo 'Print test' read '/bin/echo test')
$(fr_action test.greet 'Greet by name' read '/bin/echo hello {name}')

[domains.test.actions.greet.args]
name = { type = "enum", values = ["world", "e2e", "alice"] }

$(fr_action test.say 'Say a free message' read '/bin/echo {message}' -- 'message = { free = true }')
$(fr_action test.argv 'Show the argv' read "$FR_STUBS/c-args.sh {message}" -- 'message = { free = true }')
$(fr_action test.multi 'Several arguments' read "$FR_STUBS/c-args.sh {zeta} {alpha} {mode} {note}" -- 'zeta = { free = true }' 'alpha = { free = true }')
mode = { type = "enum", values = ["slow", "fast", "auto"], default = "auto" }
note = { free = true, default = "" }

$(fr_action test.loose 'Unchecked argument types' read "$FR_STUBS/c-args.sh {pick} {count}")

[domains.test.actions.loose.args]
pick = { type = "enum", values = ["a"], free = true }
count = { type = "integer" }

$(fr_action test.tpl 'Template substitution' read "$FR_STUBS/c-args.sh   --tag={tag} {domain} lit-{domain}-{tag} {msg}   {msg}" -- 'tag = { free = true }' 'msg = { free = true, default = "" }')
$(fr_action test.cat 'Copy stdin' read '/bin/cat')
$(fr_action test.xs 'Print many x' read "$FR_STUBS/c-xs.sh {n}" -- 'n = { free = true }')
$(fr_action test.slow 'Sleep past the timeout' read '/bin/sleep 10' 'timeout = 1')
$(fr_action test.false 'Always fail' read '/bin/false')
$(fr_action test.blank 'Blank execute' read '   ')
$(fr_action test.deploy 'Ops-level action' ops '/bin/echo deployed {env}')

[domains.test.actions.deploy.args]
env = { type = "enum", values = ["prod", "staging"] }

[domains.demo]
description = "Demo domain"

$(fr_action demo.hello 'Say hello' read '/bin/echo hello {who}' -- 'who = { free = true, default = "world" }')

[domains.admin]
description = "Administration"

$(fr_action admin.reboot 'Reboot the box' admin '/bin/echo rebooting')
EOF
}

# go LEVEL [ARGS...] <<EOF: run with --level=LEVEL and the test config
go() {
	local level=$1
	shift
	fr_feed --level="$level" "$@"
}

# one LEVEL LINE: go LEVEL with the block of that one line
one() {
	go "$1" <<<"$2"$'\n.'
}

# --- §5.1 block to chain: newlines ------------------------------------------------

@test "a newline between commands acts as a strict ';'" {
	go read <<'EOF'
test false
test echo
.
EOF
	assert_status 1
	fr_codes_are "1"
	assert_output_not_contains ">> test"
}

@test "two lines both run when the first succeeds" {
	go read <<'EOF'
test echo
test greet name=world
.
EOF
	assert_success
	fr_codes_are "0 0"
	assert_output_contains $'>> test\n>>> '
	assert_output_contains ">> hello world"
}

@test "a newline inside quotes stays in the argument" {
	go read <<'EOF'
test argv message="line one
line two"
.
EOF
	assert_success
	assert_output_contains $'>> argc=1\n>> [line one\n>> line two]'
	expect_eq "$(fr_response 0)" "$(fr_reply 'test argv message=\"line one\nline two\"' executed 0)"
}

@test "a blank line inside a block starts a new command" {
	go read <<'EOF'
test false

test echo
.
EOF
	assert_status 1
	fr_codes_are "1"
}

@test "a block of spaces is rejected as an empty command block, command kept untrimmed" {
	one read '   '
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply '   ' 'rejected: empty command block')"
	fr_stderr_is "frontiere-dispatch: rejected: empty command block"
}

@test "a block of operators only is an empty command block" {
	one read '; ; &'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply '; ; &' 'rejected: empty command block')"
}

# --- §5.2 operators and precedence ---------------------------------------------

@test "verified: 'demo nope ; demo hello' gives one 128 and exit 128" {
	one read 'demo nope ; demo hello'
	assert_status 128
	fr_codes_are "128"
	assert_output_not_contains ">> hello"
}

@test "verified: 'demo nope & demo hello who=you' runs both, exit 0" {
	one read 'demo nope & demo hello who=you'
	assert_success
	fr_codes_are "128 0"
	assert_output_contains ">> hello you"
}

@test "verified: 'demo nope | demo hello' recovers, exit 0" {
	one read 'demo nope | demo hello'
	assert_success
	fr_codes_are "128 0"
	assert_output_contains ">> hello world"
}

@test "verified: 'demo hello | demo nope' skips the recovery" {
	one read 'demo hello | demo nope'
	assert_success
	fr_codes_are "0"
}

@test "verified: '(demo nope ; demo hello) | demo hello who=you' gives 128 then 0" {
	one read '(demo nope ; demo hello) | demo hello who=you'
	assert_success
	fr_codes_are "128 0"
	assert_output_contains ">> hello you"
	assert_output_not_contains ">> hello world"
}

@test "';' stops at the first failure and returns its code" {
	one read 'test echo ; test false ; demo hello'
	assert_status 1
	fr_codes_are "0 1"
}

@test "'&' runs everything and returns the last code" {
	one read 'test false & test echo'
	assert_success
	fr_codes_are "1 0"
	one read 'test echo & test false'
	assert_status 1
	fr_codes_are "0 1"
}

@test "mixed ';' and '&' nest left to right: a ; b & c is (a ; b) & c" {
	one read 'test false ; test echo & demo hello'
	assert_success
	fr_codes_are "1 0"
	assert_output_not_contains ">> test"
	assert_output_contains ">> hello world"
}

@test "'|' binds tighter than ';'" {
	one read 'test echo | test false ; demo hello'
	assert_success
	fr_codes_are "0 0"
	assert_output_contains ">> hello world"
}

@test "'|' binds tighter than '&'" {
	one read 'test echo | test false & demo nope'
	assert_status 128
	fr_codes_are "0 128"
}

@test "parentheses group a sequence as one recovery branch" {
	one read 'test echo | (test false ; demo hello)'
	assert_success
	fr_codes_are "0"
}

@test "recoveries chain: each failure hands over to the next" {
	one read 'test false | test false | ((demo hello))'
	assert_success
	fr_codes_are "1 1 0"
}

# --- operator clean-up ---------------------------------------------------------------

@test "';; &' collapses to the first operator ';'" {
	one read 'test false ;; & test echo'
	assert_status 1
	fr_codes_are "1"
}

@test "'&&' collapses to '&' and '||' to '|'" {
	one read 'test false && test echo'
	assert_success
	fr_codes_are "1 0"
	one read 'test echo || test false'
	assert_success
	fr_codes_are "0"
}

@test "leading and trailing operators are dropped" {
	one read '; test echo'
	assert_success
	fr_codes_are "0"
	one read '& | test echo ; ;'
	assert_success
	fr_codes_are "0"
}

# --- chain syntax errors -------------------------------------------------------------

@test "an unclosed double quote rejects the whole block" {
	one read 'test say message="abc'
	assert_status 128
	expect_eq "$(fr_nresp)" 1
	expect_eq "$(fr_response 0)" "$(fr_reply 'test say message=\"abc' 'rejected: unclosed double quote')"
	fr_stderr_is "frontiere-dispatch: rejected: unclosed double quote"
}

@test "an unclosed single quote rejects the whole block" {
	go read <<'EOF'
test say message='abc
.
EOF
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply "test say message='abc" 'rejected: unclosed single quote')"
	fr_stderr_is "frontiere-dispatch: rejected: unclosed single quote"
}

@test "a chain error answers with the whole block, untrimmed, and runs nothing" {
	go read <<'EOF'
  test echo  
test say message="x
.
EOF
	assert_status 128
	assert_output_not_contains ">> test"
	expect_eq "$(fr_response 0)" "$(fr_reply '  test echo  \ntest say message=\"x' 'rejected: unclosed double quote')"
}

@test "an unclosed parenthesis is rejected" {
	one read '(test echo ; (demo hello)'
	assert_status 128
	expect_eq "$(fr_stream)" ""
	expect_eq "$(fr_response 0)" "$(fr_reply '(test echo ; (demo hello)' 'rejected: unclosed parenthesis')"
	fr_stderr_is "frontiere-dispatch: rejected: unclosed parenthesis"
}

@test "a closing parenthesis at depth 0 is rejected" {
	one read 'demo hello )'
	assert_status 128
	assert_output_not_contains ">> hello"
	expect_eq "$(fr_response 0)" "$(fr_reply 'demo hello )' 'rejected: unexpected closing parenthesis')"
	fr_stderr_is "frontiere-dispatch: rejected: unexpected closing parenthesis"
}

@test "'()' is an unexpected token" {
	one read '()'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply '()' 'rejected: unexpected token at position 1')"
	fr_stderr_is "frontiere-dispatch: rejected: unexpected token at position 1"
}

@test "decision 2: tokens after a complete sequence are rejected and nothing runs" {
	one read 'demo hello (demo hello who=you)'
	assert_status 128
	expect_eq "$(fr_nresp)" 1
	assert_output_not_contains ">> hello"
	expect_eq "$(fr_json 0 command)" "demo hello (demo hello who=you)"
	expect_eq "$(fr_json 0 status_code)" 128
	[[ $(fr_json 0 status_message) == "rejected: unexpected token at position "* ]] ||
		{ _bssh_diag "status_message: $(fr_json 0 status_message)"; false; }
	[[ $(fr_stderr) == "frontiere-dispatch: rejected: unexpected token at position "* ]] ||
		{ _bssh_diag "stderr: $(fr_stderr)"; false; }
}

@test "decision 2: a command after a parenthesised group is rejected too" {
	one read '(test echo) test echo'
	assert_status 128
	expect_eq "$(fr_nresp)" 1
	assert_output_not_contains ">> test"
	[[ $(fr_json 0 status_message) == "rejected: unexpected token at position "* ]]
}

@test "a chain error inside a session answers, writes stderr, and the session goes on" {
	go read <<'EOF'
+ session keepalive
test echo
.
test say message="open
.
test echo
.
EOF
	assert_success
	fr_codes_are "0 128 0"
	expect_eq "$(fr_json 1 status_message)" "rejected: unclosed double quote"
	fr_stderr_is "frontiere-dispatch: rejected: unclosed double quote"
}

# --- §5.3 single command ---------------------------------------------------------

@test "exit answers ok anywhere in a chain" {
	one read 'test false | exit'
	assert_success
	fr_codes_are "1 0"
	expect_eq "$(fr_response 1)" '{"command":"exit","status_code":0,"status_message":"ok","stdout":null,"stderr":null}'
	one read 'exit ; test echo'
	assert_success
	fr_codes_are "0 0"
}

@test "'exit now' is not the built-in: unknown domain 'exit'" {
	one read 'exit now'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'exit now' "rejected: unknown domain 'exit'")"
}

@test "a single command over 4096 bytes is rejected with its length" {
	{
		printf 'test say message="'
		head -c 2000 /dev/zero | tr '\0' a
		printf '\n'
		head -c 2077 /dev/zero | tr '\0' b
		printf '"\n.\n'
	} >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_status 128
	expect_eq "$(fr_stream)" ""
	expect_eq "$(fr_json 0 status_message)" "rejected: command too long (4097 chars, max 4096)"
}

@test "a single command of exactly 4096 bytes passes the length check" {
	{
		printf 'test say message="'
		head -c 2000 /dev/zero | tr '\0' a
		printf '\n'
		head -c 2076 /dev/zero | tr '\0' b
		printf '"\n.\n'
	} >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_status 128
	# the next check, the 256-byte token limit, is what fails now
	expect_eq "$(fr_json 0 status_message)" "rejected: token too long (4085 chars, max 256)"
}

@test "a 256-byte token is accepted, key= prefix included" {
	v=$(head -c 248 /dev/zero | tr '\0' x)
	go read <<EOF
test say message=$v
.
EOF
	assert_success
	assert_output_contains ">> $v"
}

@test "a 257-byte token is rejected, key= prefix included" {
	v=$(head -c 249 /dev/zero | tr '\0' x)
	go read <<EOF
test say message=$v
.
EOF
	assert_status 128
	assert_output_not_contains ">> x"
	expect_eq "$(fr_response 0)" "$(fr_reply "test say message=$v" 'rejected: token too long (257 chars, max 256)')"
}

@test "the token limit counts bytes, not characters" {
	v=$(printf 'é%.0s' $(seq 125))
	go read <<EOF
test say message=$v
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: token too long (258 chars, max 256)"
}

@test "the token limit is checked before the domain is looked up" {
	d=$(head -c 300 /dev/zero | tr '\0' d)
	go read <<EOF
$d echo
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: token too long (300 chars, max 256)"
}

@test "quotes group words and are removed; the command field keeps them" {
	go read <<'EOF'
test argv message='hello world'
.
EOF
	assert_success
	assert_output_contains $'>> argc=1\n>> [hello world]'
	expect_eq "$(fr_json 0 command)" "test argv message='hello world'"
}

@test "quotes concatenate mid-token: message=a(quote)b c(quote)d gives one argument ab cd" {
	one read 'test argv message=a"b c"d'
	assert_success
	assert_output_contains $'>> argc=1\n>> [ab cd]'
}

@test "a quote of the other kind is literal inside quotes" {
	go read <<'EOF'
test argv message='say "hi"' 
.
EOF
	assert_success
	assert_output_contains '>> [say "hi"]'
	go read <<'EOF'
"test" argv "message=it's"
.
EOF
	assert_success
	assert_output_contains ">> [it's]"
}

@test "there is no escape character: a backslash is literal" {
	one read 'test argv message=a\ b'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: argument 'b' must use key=value syntax (positional arguments not supported)"
	one read 'test argv message=a\b'
	assert_success
	assert_output_contains '>> [a\b]'
}

@test "a tab separates tokens like a space" {
	printf 'test\techo\t\n.\n' >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_success
	assert_output_contains ">> test"
}

@test "help and list shadow domains of the same name" {
	fr_config <<'EOF'
[domains.list]
description = "Shadowed list"

[domains.list.actions.all]
description = "Never reached"
level = "read"
execute = "/bin/echo shadowed"

[domains.help]
description = "Shadowed help"

[domains.help.actions.me]
description = "Never reached"
level = "read"
execute = "/bin/echo shadowed"
EOF
	one read 'list all'
	assert_success
	assert_output_not_contains "shadowed"
	expect_eq "$(fr_json 0 status_message)" "ok"
	expect_eq "$(fr_json 0 command)" "list all"
	[[ $(fr_json 0 stdout) == '{"actions":['* ]]
	one read 'help me'
	assert_success
	assert_output_not_contains ">> shadowed"
	assert_output_contains "#> unknown domain: me"
}

@test "fewer than two tokens is rejected with the expected syntax" {
	one read 'test'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply test 'rejected: expected: <domain> <action> [args...]')"
}

@test "an unknown domain is rejected with its name" {
	one read 'nosuch echo'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'nosuch echo' "rejected: unknown domain 'nosuch'")"
}

@test "a NUL inside the domain or action word does not match its prefix" {
	go read < <(printf 'test\0x echo\n.\n')
	assert_status 128
	[[ $(fr_json 0 status_message) == "rejected: unknown domain 'test"* ]]
	go read < <(printf 'test echo\0x\n.\n')
	assert_status 128
	[[ $(fr_json 0 status_message) == "rejected: unknown action 'echo"* ]]
	go read < <(printf 'list\0x\n.\n')
	assert_status 128
}

@test "an unknown action is rejected with action and domain" {
	one read 'test nope'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'test nope' "rejected: unknown action 'nope' in domain 'test'")"
}

@test "the command field of a rejection is trimmed, quotes as typed" {
	go read <<'EOF'
   test   nope   'x y'   
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 command)" "test   nope   'x y'"
}

# --- §5.4 named arguments --------------------------------------------------------

@test "an argument splits on the first '=': a=b=c" {
	one read 'test argv message=b=c'
	assert_success
	assert_output_contains ">> [b=c]"
}

@test "a positional argument is rejected with the key=value text" {
	one read 'test argv hello'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'test argv hello' "rejected: argument 'hello' must use key=value syntax (positional arguments not supported)")"
}

@test "an undeclared argument is rejected" {
	one read 'test argv foo=1'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown argument 'foo' for 'test argv'"
}

@test "a repeated argument is rejected" {
	one read 'test argv message=a message=b'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: duplicate argument 'message'"
}

@test "key= passes one empty argv element" {
	one read 'test argv message='
	assert_success
	assert_output_contains $'>> argc=1\n>> []'
}

@test "missing required arguments are reported in argument-name order" {
	one read 'test multi'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: missing required argument 'alpha' for 'test multi'"
	one read 'test multi alpha=1'
	expect_eq "$(fr_json 0 status_message)" "rejected: missing required argument 'zeta' for 'test multi'"
}

@test "defaults fill the missing optional arguments, empty default included" {
	one read 'test multi alpha=1 zeta=2'
	assert_success
	assert_output_contains $'>> argc=4\n>> [2]\n>> [1]\n>> [auto]\n>> []'
}

@test "an enum value outside the list is rejected with the values in config order" {
	one read 'test multi alpha=1 zeta=2 mode=bad'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: invalid value 'bad' for argument 'mode' (allowed: slow, fast, auto)"
}

@test "enum values are case-sensitive" {
	one read 'test greet name=World'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: invalid value 'World' for argument 'name' (allowed: world, e2e, alice)"
}

@test "missing arguments are found before enum values are checked" {
	one read 'test multi mode=bad'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: missing required argument 'alpha' for 'test multi'"
}

@test "free skips the enum check, and other types are not validated" {
	one read 'test loose pick=zzz count=abc'
	assert_success
	assert_output_contains $'>> argc=2\n>> [zzz]\n>> [abc]'
}

@test "arguments are checked before authorisation" {
	one read 'test deploy'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: missing required argument 'env' for 'test deploy'"
	one read 'test deploy env=prod'
	assert_status 131
}

# --- §5.5 transposition -------------------------------------------------------------

@test "each template token becomes one argv element, placeholders substituted inside" {
	one read 'test tpl tag=v1 msg="two  words"'
	assert_success
	expected=">> argc=5
>> [--tag=v1]
>> [test]
>> [lit-test-v1]
>> [two  words]
>> [two  words]"
	expect_text "$(printf '%s\n' "$output" | grep '^>> ')" "$expected"
}

@test "an empty value stays an empty element" {
	one read 'test tpl tag='
	assert_success
	expected=">> argc=5
>> [--tag=]
>> [test]
>> [lit-test-]
>> []
>> []"
	expect_text "$(printf '%s\n' "$output" | grep '^>> ')" "$expected"
}

@test "decision 3: a value holding {other} or {domain} is passed literally" {
	one read 'test tpl tag="{msg}" msg="{tag} {domain} *"'
	assert_success
	expected=">> argc=5
>> [--tag={msg}]
>> [test]
>> [lit-test-{msg}]
>> [{tag} {domain} *]
>> [{tag} {domain} *]"
	expect_text "$(printf '%s\n' "$output" | grep '^>> ')" "$expected"
}

# --- §6 RBAC -------------------------------------------------------------------------

rbac_config() {
	fr_config <<EOF
[domains.vault]
description = "Tagged domain"

$(fr_action vault.open 'Tagged admin action' admin '/bin/echo opened' 'tags = ["Secret-Tag"]')
$(fr_action vault.peek 'Tagged read action' read '/bin/echo peeked' 'tags = ["secret-tag", "other"]')
$(fr_action vault.public 'Untagged read action' read '/bin/echo public')

[domains.admin]
description = "Administration"

$(fr_action admin.reboot 'Reboot' admin '/bin/echo rebooting')

[auth]

[auth.tokens.reader]
secret = "b64:c2VjcmV0"
level = "read"
tags = ["secret-tag"]

[auth.tokens.boss]
secret = "b64:c2VjcmV0Mg=="
level = "admin"
tags = ["OTHER"]
EOF
}

READER_PROOF=2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
BOSS_PROOF=35224d0d3465d74e855f8d69a136e79c744ea35a675d3393360a327cbf6359a2

@test "tags are checked before the level: both failing gives tag mismatch" {
	rbac_config
	one read 'vault open'
	assert_status 131
	expect_eq "$(fr_response 0)" "$(fr_reply 'vault open' 'rejected: access denied (tag mismatch)' 131)"
}

@test "a tag match then a low level gives insufficient level" {
	rbac_config
	go read <<EOF
+ auth token=reader proof=$READER_PROOF
vault open
.
EOF
	assert_status 131
	assert_output_contains "#> auth ok, level=read"
	expect_eq "$(fr_response 0)" "$(fr_reply 'vault open' 'rejected: insufficient level (admin required, read granted)' 131)"
}

@test "a matching tag (compared lowercased) opens a tagged action" {
	rbac_config
	go read <<EOF
+ auth token=reader proof=$READER_PROOF
vault peek
.
EOF
	assert_success
	assert_output_contains ">> peeked"
}

@test "a high level does not bypass the tag check" {
	rbac_config
	one admin 'vault peek'
	assert_status 131
	expect_eq "$(fr_json 0 status_message)" "rejected: access denied (tag mismatch)"
	go read <<EOF
+ auth token=boss proof=$BOSS_PROOF
vault open ; vault peek
.
EOF
	assert_status 131
	fr_codes_are "131"
	expect_eq "$(fr_json 0 status_message)" "rejected: access denied (tag mismatch)"
}

@test "a token's own tag opens the actions carrying it" {
	rbac_config
	go read <<EOF
+ auth token=boss proof=$BOSS_PROOF
vault peek
.
EOF
	assert_success
	assert_output_contains ">> peeked"
}

@test "the level message names the required and the granted level" {
	one ops 'admin reboot'
	assert_status 131
	expect_eq "$(fr_json 0 status_message)" "rejected: insufficient level (admin required, ops granted)"
	one ops 'test deploy env=prod'
	assert_success
	assert_output_contains ">> deployed prod"
}

@test "list shows only the actions that pass both checks" {
	rbac_config
	one read 'list'
	assert_success
	expect_eq "$(fr_json 0 stdout)" '{"actions":[{"action":"public","description":"Untagged read action","domain":"vault","level":"read"}]}'
	go read <<EOF
+ auth token=reader proof=$READER_PROOF
list
.
EOF
	expect_eq "$(fr_json 0 stdout)" '{"actions":[{"action":"peek","description":"Tagged read action","domain":"vault","level":"read"},{"action":"public","description":"Untagged read action","domain":"vault","level":"read"}]}'
}

@test "help hides what RBAC refuses" {
	rbac_config
	one admin 'help'
	assert_success
	assert_output_contains "#>     reboot"
	assert_output_contains "#>     public"
	assert_output_not_contains "peek"
	assert_output_not_contains "#>     open"
}

# --- §7.1 help, byte for byte ----------------------------------------------------------

help_config() {
	fr_config <<'EOF'
[domains.beta]
description = "Beta tools"

[domains.beta.actions.zulu]
description = "Dernière étape"
level = "read"
execute = "/bin/echo z"

[domains.beta.actions.exactly-twenty-chars]
description = "Twenty"
level = "read"
execute = "/bin/echo t"

[domains.beta.actions.a-much-longer-action-id]
description = "Long id"
level = "read"
execute = "/bin/echo l"

[domains.beta.actions.secret]
description = "Admin only"
level = "admin"
execute = "/bin/echo s"

[domains.alpha]
description = "Alpha operations"

[domains.alpha.actions.run]
description = "Run with arguments"
level = "read"
max_body_size = 4096
execute = "/bin/echo {mode} {note} {kind} {plain} {opt}"

[domains.alpha.actions.run.args]
mode = { type = "enum", values = ["fast", "slow"] }
note = { free = true, default = "" }
kind = { type = "string" }
plain = {}
opt = { type = "enum", values = ["x", "y"], default = "x" }

[domains.alpha.actions.Upper]
description = "Capitalised id"
level = "read"
max_body_size = 1500
execute = "/bin/echo U"

[domains.alpha.actions.plain]
description = "Nothing \"special\""
level = "read"
max_body_size = 65536
execute = "/bin/echo p"

[domains.hidden]
description = "Only admins"

[domains.hidden.actions.x]
description = "Hidden"
level = "admin"
execute = "/bin/echo x"
EOF
}

# help text with '#>' standing for the empty comment '#> '
help_text() {
	sed 's/^#>$/#> /'
}

HELP_HEAD='#> ssh-frontiere 3.1.0 — SSH command dispatcher
#>
#> Protocol:
#>   +     Client configuration (headers)
#>   #     Client comment
#>   .     End of command block (alone on its line)
#>   +>    Server configuration
#>   #>    Server comment
#>   >>    Stdout output (streaming)
#>   >>!   Stderr output (streaming)
#>   >>>   Final JSON response
#>
#> Operators:
#>   ;     Strict sequential (stop on first failure)
#>   &     Permissive sequential (continue regardless)
#>   |     Fallback (execute on failure)
#>   ()    Grouping
#>
#> Available domains:
#>'
HELP_OK='>>> {"command":"help","status_code":0,"status_message":"ok","stdout":null,"stderr":null}'

@test "help overview is byte-exact: visible domains in order, 20-char padding" {
	help_config
	one read 'help'
	assert_success
	expected=$(help_text <<EOF
$HELP_HEAD
#>   alpha
#>     Upper                Capitalised id
#>     plain                Nothing "special"
#>     run                  Run with arguments
#>
#>   beta
#>     a-much-longer-action-id Long id
#>     exactly-twenty-chars Twenty
#>     zulu                 Dernière étape
#>
#> For the full list (JSON): list
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help overview at admin level shows the hidden domain and action" {
	help_config
	one admin 'help'
	assert_success
	expected=$(help_text <<EOF
$HELP_HEAD
#>   alpha
#>     Upper                Capitalised id
#>     plain                Nothing "special"
#>     run                  Run with arguments
#>
#>   beta
#>     a-much-longer-action-id Long id
#>     exactly-twenty-chars Twenty
#>     secret               Admin only
#>     zulu                 Dernière étape
#>
#>   hidden
#>     x                    Hidden
#>
#> For the full list (JSON): list
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help with no visible action lists no domain" {
	fr_config <<'EOF'
[domains.ops]
description = "Ops only"

[domains.ops.actions.restart]
description = "Restart"
level = "ops"
execute = "/bin/echo r"
EOF
	one read 'help'
	assert_success
	expected=$(help_text <<EOF
$HELP_HEAD
#> For the full list (JSON): list
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help <domain> is byte-exact: level, arguments, body size when not 65536" {
	help_config
	one read 'help alpha'
	assert_success
	expected=$(help_text <<EOF
#> ssh-frontiere 3.1.0 — SSH command dispatcher
#>
#> Domain: alpha — Alpha operations
#>
#>   Upper                Capitalised id
#>     required level: read
#>     body: max 1 KB
#>
#>   plain                Nothing "special"
#>     required level: read
#>
#>   run                  Run with arguments
#>     required level: read
#>     arguments: kind={string}, mode={enum}, note=[free text] [optional], opt={enum} [optional], plain={}
#>     body: max 4 KB
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help <domain> pads short ids, leaves 20+ char ids unpadded, hides refused ones" {
	help_config
	one read 'help beta extra tokens'
	assert_success
	expected=$(help_text <<EOF
#> ssh-frontiere 3.1.0 — SSH command dispatcher
#>
#> Domain: beta — Beta tools
#>
#>   a-much-longer-action-id Long id
#>     required level: read
#>
#>   exactly-twenty-chars Twenty
#>     required level: read
#>
#>   zulu                 Dernière étape
#>     required level: read
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help <domain> shows admin actions with their level to an admin" {
	help_config
	one admin 'help beta'
	assert_success
	assert_output_contains $'#>   secret               Admin only\n#>     required level: admin\n#> \n'
}

@test "help <unknown> says unknown domain and still answers ok" {
	help_config
	one read 'help nosuch'
	assert_success
	expected=$(help_text <<EOF
#> ssh-frontiere 3.1.0 — SSH command dispatcher
#>
#> unknown domain: nosuch
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help on an action name is an unknown domain" {
	help_config
	one read 'help run'
	assert_success
	assert_output_contains "#> unknown domain: run"
}

@test "help <domain> of a fully hidden domain still prints its header" {
	help_config
	one read 'help hidden'
	assert_success
	expected=$(help_text <<EOF
#> ssh-frontiere 3.1.0 — SSH command dispatcher
#>
#> Domain: hidden — Only admins
#>
$HELP_OK
EOF
)
	expect_text "$(fr_after_banner)" "$expected"
}

@test "help as the first line discards the rest of the block" {
	help_config
	go read <<'EOF'
help
beta zulu
.
EOF
	assert_success
	assert_output_not_contains ">> z"
	expect_eq "$(fr_nresp)" 1
	expect_eq "$(fr_response 0)" "${HELP_OK#>>> }"
}

@test "help inside a chain prints the same overview and counts as success" {
	help_config
	one read 'beta nope | help'
	assert_success
	fr_codes_are "128 0"
	expect_eq "$(fr_response 1)" "${HELP_OK#>>> }"
	assert_output_contains "#>     zulu                 Dernière étape"
}

# --- §7.2 list, byte for byte -------------------------------------------------------

# outer: JSON-escape a string for the stdout field
outer() {
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

@test "list is byte-exact: sorted keys, visible only, domain then action byte order" {
	help_config
	one read 'list'
	assert_success
	inner='{"actions":[{"action":"Upper","description":"Capitalised id","domain":"alpha","level":"read"},{"action":"plain","description":"Nothing \"special\"","domain":"alpha","level":"read"},{"action":"run","description":"Run with arguments","domain":"alpha","level":"read"},{"action":"a-much-longer-action-id","description":"Long id","domain":"beta","level":"read"},{"action":"exactly-twenty-chars","description":"Twenty","domain":"beta","level":"read"},{"action":"zulu","description":"Dernière étape","domain":"beta","level":"read"}]}'
	expect_eq "$(fr_response 0)" "{\"command\":\"list\",\"status_code\":0,\"status_message\":\"ok\",\"stdout\":\"$(printf '%s' "$inner" | outer)\",\"stderr\":null}"
	expect_eq "$(fr_json 0 stdout)" "$inner"
}

@test "list at admin level includes admin actions" {
	help_config
	one admin 'list'
	assert_success
	inner='{"actions":[{"action":"Upper","description":"Capitalised id","domain":"alpha","level":"read"},{"action":"plain","description":"Nothing \"special\"","domain":"alpha","level":"read"},{"action":"run","description":"Run with arguments","domain":"alpha","level":"read"},{"action":"a-much-longer-action-id","description":"Long id","domain":"beta","level":"read"},{"action":"exactly-twenty-chars","description":"Twenty","domain":"beta","level":"read"},{"action":"secret","description":"Admin only","domain":"beta","level":"admin"},{"action":"zulu","description":"Dernière étape","domain":"beta","level":"read"},{"action":"x","description":"Hidden","domain":"hidden","level":"admin"}]}'
	expect_eq "$(fr_json 0 stdout)" "$inner"
}

@test "list with nothing visible has an empty actions array, extra tokens ignored" {
	fr_config <<'EOF'
[domains.ops]
description = "Ops only"

[domains.ops.actions.restart]
description = "Restart"
level = "ops"
execute = "/bin/echo r"
EOF
	one read 'list all of it'
	assert_success
	expect_eq "$(fr_response 0)" '{"command":"list all of it","status_code":0,"status_message":"ok","stdout":"{\"actions\":[]}","stderr":null}'
}

# --- §8 the >>> JSON ------------------------------------------------------------------

@test "every response has exactly the 5 keys in order" {
	one read 'test echo & test nope & list & exit & test deploy env=prod & help'
	expect_eq "$(fr_nresp)" 6
	fr_responses | python3 -c '
import json, sys
for line in sys.stdin:
    keys = [k for k, _ in json.loads(line, object_pairs_hook=lambda p: p)]
    assert keys == ["command", "status_code", "status_message", "stdout", "stderr"], keys
'
}

@test "control characters are escaped like serde_json, DEL and non-ASCII raw, '/' unescaped" {
	printf 'test argv message="t\tb\bf\fr\rv\vu\001e\037d\177/é"\n.\n' >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_success
	expected=$(printf '{"command":"test argv message=\\"t\\tb\\bf\\fr\\rv\\u000bu\\u0001e\\u001fd\177/é\\"","status_code":0,"status_message":"executed","stdout":null,"stderr":null}')
	expect_eq "$(fr_response 0)" "$expected"
}

@test "a quoted newline in a command is escaped as backslash-n and NUL as u0000" {
	printf 'test argv message="a\000b\nc"\n.\n' >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_status 128
	expect_eq "$(fr_json 0 status_code)" 128
	[[ $(fr_response 0) == '{"command":"test argv message=\"a\u0000b\nc\"","status_code":128,"status_message":"execution error: failed to spawn: '* ]] ||
		{ _bssh_diag "response: $(fr_response 0)"; false; }
}

@test "backslashes and quotes are escaped in command and status_message" {
	one read 'a\b echo'
	assert_status 128
	expect_eq "$(fr_response 0)" '{"command":"a\\b echo","status_code":128,"status_message":"rejected: unknown domain '\''a\\b'\''","stdout":null,"stderr":null}'
}

# --- §8 status catalogue -------------------------------------------------------------

@test "catalogue: a child exit code is passed through as executed" {
	one read 'test false'
	assert_status 1
	expect_eq "$(fr_response 0)" "$(fr_reply 'test false' executed 1)"
}

@test "catalogue: help, list and exit answer ok with code 0" {
	one read 'help test & list & exit'
	assert_success
	fr_codes_are "0 0 0"
	expect_eq "$(fr_json 0 command)" help
	expect_eq "$(fr_json 0 status_message)" ok
	expect_eq "$(fr_json 1 status_message)" ok
	expect_eq "$(fr_json 2 status_message)" ok
}

@test "catalogue: a timeout is 130 with command '<domain> <action>'" {
	one read 'test slow'
	assert_status 130
	expect_eq "$(fr_response 0)" "$(fr_reply 'test slow' 'timeout after 1s: test slow' 130)"
}

@test "catalogue: a blank execute is an execution error" {
	one read 'test blank'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'test blank' 'execution error: empty command')"
}

@test "catalogue: RBAC refusals are 131 with null stdout and stderr" {
	one read 'admin reboot'
	assert_status 131
	expect_eq "$(fr_response 0)" "$(fr_reply 'admin reboot' 'rejected: insufficient level (admin required, read granted)' 131)"
}

# --- §15.2 tests/fixtures/conformance-scenarios.json (6 cases) ------------------------

# conformance LEVEL COMMAND EXIT STATUS_CODE MESSAGE_PART STDOUT_NULL(yes|no)
conformance() {
	std_config
	go "$1" <<EOF
$2
.
EOF
	assert_status "$3"
	expect_eq "$(fr_nresp)" 1
	expect_eq "$(fr_json 0 status_code)" "$4"
	[[ $(fr_json 0 status_message) == *"$5"* ]] ||
		{ _bssh_diag "status_message lacks $5"; return 1; }
	if [[ $6 == yes ]]; then
		expect_eq "$(fr_json 0 stdout)" null
	else
		[[ $(fr_json 0 stdout) != null ]] || { _bssh_diag "stdout is null"; return 1; }
	fi
	expect_eq "$(fr_json 0 stderr)" null
}

@test "conformance authorized_command: read runs test echo, executed" {
	conformance read "test echo" 0 0 executed yes
}

@test "conformance unknown_action: 128" {
	conformance read "test nonexistent" 128 128 "unknown action" yes
}

@test "conformance insufficient_level: 131" {
	conformance read "test deploy env=prod" 131 131 "insufficient level" yes
}

@test "conformance extra_tokens_rejected: 128" {
	conformance read "test echo extra1 extra2" 128 128 "rejected" yes
}

@test "conformance unknown_domain_rejected: 128" {
	conformance read "nonexistent echo" 128 128 "unknown domain" yes
}

@test "conformance discovery_list: 0 ok with a stdout" {
	conformance read "list" 0 0 ok no
}

# --- §15.2 tests/integration.rs (50) ------------------------------------------------

tags_config() {
	fr_config <<EOF
[domains.forgejo]
description = "Forgejo"

$(fr_action forgejo.backup 'Back up forgejo' ops '/bin/echo forgejo backup done' 'tags = ["forgejo"]')

[domains.mastodon]
description = "Mastodon"

$(fr_action mastodon.backup 'Back up mastodon' ops '/bin/echo mastodon backup done' 'tags = ["mastodon"]')

[domains.infra]
description = "Infrastructure"

$(fr_action infra.status 'Status' read '/bin/echo infra ok')

[auth]
challenge_nonce = true

[auth.tokens.runner-forge]
secret = "b64:c2VjcmV0"
level = "ops"
tags = ["forgejo"]

[auth.tokens.agent-mastodon]
secret = "b64:c2VjcmV0Mg=="
level = "ops"
tags = ["mastodon"]
EOF
}

simple_auth_config() {
	fr_config <<EOF
[domains.infra]
description = "Infrastructure"

$(fr_action infra.status 'Status' read '/bin/echo infra ok')

[domains.app]
description = "Application"

$(fr_action app.greet 'Greet at ops level' ops '/bin/echo greetings')

[auth]

[auth.tokens.runner]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
}

named_config() {
	fr_config <<EOF
[domains.app]
description = "Application"

$(fr_action app.deploy 'Deploy' read '/bin/echo deploy {version} {env}' -- 'version = { default = "latest" }' \
		'env = { type = "enum", values = ["staging", "prod"], default = "staging" }')

$(fr_action app.migrate 'Migrate' read '/bin/echo migrate {target}' -- 'target = {}')
EOF
}

@test "[it 01] test echo runs, streams 'test', executed with null stdout" {
	one read 'test echo'
	assert_success
	assert_output_contains ">> test"
	expect_eq "$(fr_json 0 status_message)" executed
	expect_eq "$(fr_json 0 stdout)" null
}

@test "[it 02] a valid enum argument runs: hello world" {
	one read 'test greet name=world'
	assert_success
	assert_output_contains ">> hello world"
}

@test "[it 03] an invalid enum argument is 128" {
	one read 'test greet name=invalid'
	assert_status 128
	expect_eq "$(fr_json 0 status_code)" 128
}

@test "[it 04] an unknown action is 128" {
	one read 'test nonexistent'
	assert_status 128
}

@test "[it 05] an unknown domain is 128" {
	one read 'nonexistent echo'
	assert_status 128
}

@test "[it 06] 'test echo | cat' succeeds without running cat" {
	one read 'test echo | cat'
	assert_success
	fr_codes_are "0"
}

@test "[it 07] extra positional tokens are rejected" {
	one read 'test echo extra1 extra2'
	assert_status 128
	assert_output_not_contains ">> test"
}

@test "[it 08] shell specials inside quotes are accepted and passed literally" {
	one read 'test say "message=hello|world;test&foo$bar"'
	assert_success
	assert_output_contains '>> hello|world;test&foo$bar'
}

@test "[it 09] a shell variable is not expanded" {
	one read 'test say "message=$HOME"'
	assert_success
	assert_output_contains '>> $HOME'
}

@test "[it 10] a 4098-character line is a protocol error 132 (--diagnostic)" {
	{
		head -c 4098 /dev/zero | tr '\0' a
		printf '\n.\n'
	} >"$BSSH_TMP/in"
	go read --diagnostic <"$BSSH_TMP/in"
	assert_status 132
	assert_output_contains "#> protocol error: line too long (4099 chars, max 4096)"
	fr_stderr_is "frontiere-dispatch: protocol: protocol error: line too long (4099 chars, max 4096)"
}

@test "[it 11] read level on an ops action is 131" {
	one read 'test deploy env=prod'
	assert_status 131
}

@test "[it 12] test slow times out with 130" {
	one read 'test slow'
	assert_status 130
	[[ $(fr_json 0 status_message) == *timeout* ]]
}

@test "[it 13] /bin/false passes exit 1 through" {
	one read 'test false'
	assert_status 1
	expect_eq "$(fr_json 0 status_code)" 1
	expect_eq "$(fr_json 0 status_message)" executed
}

@test "[it 14] help shows the protocol and the domains, then >>> 0" {
	one read 'help'
	assert_success
	assert_output_contains "#> ssh-frontiere"
	assert_output_contains "#> Protocol:"
	assert_output_contains "#> Available domains:"
	expect_eq "$(fr_json 0 status_code)" 0
}

@test "[it 15] help test shows the domain and its echo action" {
	one read 'help test'
	assert_success
	assert_output_contains "#> Domain: test — Test domain"
	assert_output_contains "#>   echo                 Print test"
	expect_eq "$(fr_json 0 status_code)" 0
}

@test "[it 16] help echo is an unknown domain" {
	one read 'help echo'
	assert_success
	assert_output_contains "#> unknown domain: echo"
	expect_eq "$(fr_nresp)" 1
}

@test "[it 17] list returns an actions array" {
	one read 'list'
	assert_success
	fr_json 0 stdout | python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin)["actions"], list)'
}

@test "[it 18] help at read level hides the admin domain" {
	one read 'help'
	assert_output_contains "#>   test"
	assert_output_not_contains "#>   admin"
	one admin 'help'
	assert_output_contains "#>   admin"
}

@test "[it 19] list at read level has no ops or admin entries" {
	one read 'list'
	assert_success
	s=$(fr_json 0 stdout)
	[[ $s != *'"level":"ops"'* && $s != *'"level":"admin"'* && $s == *'"level":"read"'* ]] ||
		{ _bssh_diag "list: $s"; false; }
}

@test "[it 20] output is streamed whole whatever max_*_chars say" {
	fr_config <<EOF
[global]
log_file = "$FR_LOG"
max_stdout_chars = 100
max_stderr_chars = 100
max_output_chars = 200

[domains.test]
description = "Test"

[domains.test.actions.xs]
description = "Print many x"
level = "read"
execute = "$FR_STUBS/c-xs.sh 2000"
EOF
	one read 'test xs'
	assert_success
	assert_output_contains ">> $(head -c 2000 /dev/zero | tr '\0' x)"$'\n>>> '
	expect_eq "$(fr_json 0 stdout)" null
}

@test "[it 21] the banner has the version and capabilities with rbac when [auth] exists" {
	simple_auth_config
	go read </dev/null
	assert_success
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	assert_line_equals 2 '#> type "help" for available commands'
	assert_line_count 3
}

@test "[it 22] the banner has no rbac without [auth]" {
	go read </dev/null
	assert_success
	assert_line_equals 1 "+> capabilities session, help, body"
}

@test "[it 23] a session runs two commands" {
	go read <<'EOF'
+ session keepalive
test echo
.
test echo
.
EOF
	assert_success
	fr_codes_are "0 0"
}

@test "[it 24] exit answers 0" {
	one read 'exit'
	assert_success
	expect_eq "$(fr_response 0)" '{"command":"exit","status_code":0,"status_message":"ok","stdout":null,"stderr":null}'
}

@test "[it 25] a response has exactly five fields" {
	one read 'test echo'
	fr_response 0 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==5 and set(d)=={"command","status_code","status_message","stdout","stderr"}, d'
}

@test "[it 26] a rejection carries the command text" {
	one read 'nonexistent echo'
	expect_eq "$(fr_json 0 command)" "nonexistent echo"
}

@test "[it 27] a tagged action without auth is a tag mismatch" {
	tags_config
	one read 'forgejo backup'
	assert_status 131
	[[ $(fr_json 0 status_message) == *"tag mismatch"* ]]
}

@test "[it 28] a nonce-mode forgejo token reaches forgejo backup" {
	tags_config
	fr_nonce_run runner-forge secret $'forgejo backup\n.\n' --level=read --config="$FR_CONF"
	assert_success
	assert_output_contains "+> challenge nonce="
	assert_output_contains "#> auth ok, level=ops"
	assert_output_contains ">> forgejo backup done"
}

@test "[it 29] a forgejo token cannot reach mastodon" {
	tags_config
	fr_nonce_run runner-forge secret $'mastodon backup\n.\n' --level=read --config="$FR_CONF"
	assert_failure
	assert_output_contains "#> auth ok, level=ops"
	[[ $(fr_json 0 status_message) == *"tag mismatch"* ]]
}

@test "[it 30] a forgejo token still reaches public actions" {
	tags_config
	fr_nonce_run runner-forge secret $'infra status\n.\n' --level=read --config="$FR_CONF"
	assert_success
	assert_output_contains ">> infra ok"
}

@test "[it 31] help without any prefix answers in #> text" {
	one read 'help'
	assert_success
	[[ $(fr_after_banner | grep -vc '^#> ') == 1 ]] || { _bssh_diag "non-comment lines"; false; }
}

@test "[it 32] after simple auth, help shows the ops action greet" {
	simple_auth_config
	one read 'help'
	assert_output_not_contains "greet"
	go read <<EOF
+ auth token=runner proof=$READER_PROOF
help
.
EOF
	assert_success
	assert_output_contains "#>     greet                Greet at ops level"
}

@test "[it 33] no empty line is needed before the command" {
	go read <<'EOF'
+ session keepalive
test echo
.
EOF
	assert_success
	fr_codes_are "0"
}

@test "[it 34] an empty line before the command is accepted" {
	go read <<'EOF'
# a comment

test echo
.
EOF
	assert_success
	fr_codes_are "0"
}

@test "[it 35] simple auth succeeds and opens ops actions" {
	simple_auth_config
	go read <<EOF
+ auth token=runner proof=$READER_PROOF
app greet
.
EOF
	assert_success
	assert_output_contains "#> auth ok, level=ops"
	assert_output_contains ">> greetings"
}

@test "[it 36] simple auth with a bad proof fails" {
	simple_auth_config
	go read <<'EOF'
+ auth token=runner proof=0000
app greet
.
EOF
	assert_status 131
	assert_output_contains "#> authentication failed (1/3)"
}

@test "[it 37] simple mode: no challenge line, in-session auth works" {
	simple_auth_config
	go read <<EOF
+ session keepalive
infra status
.
+ auth token=runner proof=$READER_PROOF
app greet
.
EOF
	assert_success
	assert_output_not_contains "+> challenge"
	assert_output_not_contains "new challenge"
	assert_output_contains "#> auth ok, level=ops"
	fr_codes_are "0 0"
}

@test "[it 38] --check-config on a valid file says Config OK" {
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

@test "[it 39] --check-config on broken TOML exits 129 with a stderr line" {
	printf '[global\nlog_file = 1\n' >"$FR_CONF"
	fr_run --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	fr_stderr_is "frontiere-dispatch: error: service unavailable"
}

@test "[it 40] --check-config on a missing file exits 129" {
	fr_run --check-config --config="$BSSH_TMP/nope.toml" </dev/null
	assert_status 129
	assert_output_equals ""
}

@test "[it 41] named arguments given explicitly" {
	named_config
	one read 'app deploy version=canary env=prod'
	assert_success
	assert_output_contains ">> deploy canary prod"
}

@test "[it 42] named argument defaults are applied" {
	named_config
	one read 'app deploy'
	assert_success
	assert_output_contains ">> deploy latest staging"
}

@test "[it 43] a positional argument is refused, naming key=value" {
	named_config
	one read 'app deploy canary'
	assert_status 128
	[[ $(fr_json 0 status_message) == *"key=value"* ]]
}

@test "[it 44] a missing mandatory argument is refused" {
	named_config
	one read 'app migrate'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: missing required argument 'target' for 'app migrate'"
}

@test "[it 45] a default-mode body reaches the command's stdin" {
	go read <<'EOF'
+ body
test cat
.
hello body
.
EOF
	assert_success
	assert_output_contains ">> hello body"
}

@test "[it 46] a size=5 body reaches the command's stdin" {
	printf '+ body size=5\ntest cat\n.\nhello' >"$BSSH_TMP/in"
	go read <"$BSSH_TMP/in"
	assert_success
	assert_output_contains ">> hello"
}

@test "[it 47] a stop=FIN body ends at the FIN line" {
	go read <<'EOF'
+ body stop="FIN"
test cat
.
line1
FIN
EOF
	assert_success
	assert_output_contains ">> line1"
	expect_eq "$(printf '%s\n' "$output" | grep -c '^>> ')" 1
}

@test "[it 48] a quoted free argument stays one argument" {
	one read 'test argv message="bonjour le monde"'
	assert_success
	assert_output_contains $'>> argc=1\n>> [bonjour le monde]'
}

@test "[it 49] the banner announces the body capability" {
	go read </dev/null
	assert_output_contains "+> capabilities session, help, body"
}

@test "[it 50] help <domain> shows free arguments as [free text]" {
	one read 'help test'
	assert_success
	assert_output_contains "#>     arguments: message=[free text]"
}
