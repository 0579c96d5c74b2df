#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154
# frontiere-dispatch: authentication, RBAC through tokens, ban_command and
# logging (spec §4, §6, §10.6, §12; Python ATK-001..012, RBA-008/009,
# SES-005; integration tests 28-37; decisions 6, 9, 12).

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
	P_PID=
	P_FD=
	P_GLOBAL=
	P_AUTH="challenge_nonce = false"
	P_NOAUTH=
	# simple-mode proofs: lowercase hex SHA-256 of the secret
	P_RUNNER=$(p_sproof secret)
	P_AGENT=$(p_sproof secret2)
	P_VIEWER=$(p_sproof viewer)
	ZERO=0000000000000000000000000000000000000000000000000000000000000000
}

teardown() {
	if [[ -n ${P_PID:-} ]]; then
		kill "$P_PID" 2>/dev/null || true
		wait "$P_PID" 2>/dev/null || true
	fi
}

# ---------------------------------------------------------------- helpers

p_sproof() {
	printf %s "$1" | sha256sum | cut -d' ' -f1
}

p_in() {
	# shellcheck disable=SC2059
	printf "$@" >"$P_IN"
}

p_run() {
	run p_errto "$BSSH_TMP/stderr" env -i PATH="$PATH" "${P_ENV[@]}" frontiere-dispatch "$@"
}

p_stderr_is() {
	local got
	got=$(fr_stderr)
	if [[ $got != "$1" ]]; then
		printf 'expected stderr: %s\ngot stderr: %s\n' "$1" "$got" >&2
		_bssh_diag "stderr mismatch"
		return 1
	fi
}

p_statuses_are() {
	local got
	got=$(fr_responses | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["status_code"]) for l in sys.stdin if l.strip()))')
	if [[ $got != "$1" ]]; then
		_bssh_diag "expected status codes: '$1', got '$got'"
		return 1
	fi
}

p_last_line_is() {
	local last
	last=$(printf '%s\n' "$output" | tail -n 1)
	if [[ $last != "$1" ]]; then
		_bssh_diag "expected last line: $1"
		return 1
	fi
}

# p_comments: the #> lines after the banner, i.e. the server comments.
p_comments() {
	printf '%s\n' "$output" | sed -n 's/^#> //p' |
		grep -v -e '^ssh-frontiere 3\.1\.0$' -e '^type "help" for available commands$' || true
}

p_comments_are() {
	local got
	got=$(p_comments)
	if [[ $got != "$1" ]]; then
		printf 'expected comments:\n%s\ngot:\n%s\n' "$1" "$got" >&2
		_bssh_diag "comments mismatch"
		return 1
	fi
}

# p_log: the log with timestamp and pid normalised to T and P.
p_log() {
	[[ -f $FR_LOG ]] || return 0
	sed -E 's/"timestamp":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"/"timestamp":"T"/; s/"pid":[1-9][0-9]*,/"pid":P,/' "$FR_LOG"
}

p_log_is() {
	local got
	got=$(p_log)
	if [[ $got != "$1" ]]; then
		printf 'expected log:\n%s\ngot log:\n%s\n' "$1" "$(cat "$FR_LOG" 2>/dev/null)" >&2
		return 1
	fi
}

# p_config: the config of this file. P_GLOBAL: extra [global] lines;
# P_AUTH: [auth] lines; P_NOAUTH=1: no [auth] at all.
p_config() {
	local auth=
	if [[ -z $P_NOAUTH ]]; then
		auth="[auth]
$P_AUTH

[auth.tokens.runner]
secret = \"b64:c2VjcmV0\"
level = \"ops\"
tags = [\"forgejo\"]

[auth.tokens.agent]
secret = \"b64:c2VjcmV0Mg==\"
level = \"admin\"
tags = [\"mastodon\"]

[auth.tokens.viewer]
secret = \"b64:dmlld2Vy\"
level = \"read\""
	fi
	fr_config <<EOF
[global]
log_file = "$FR_LOG"
$P_GLOBAL

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

[domains.t.actions.fail]
description = "Exit 3"
level = "read"
execute = "$FR_STUBS/p-exit 3"

[domains.t.actions.sleep]
description = "Too slow"
level = "read"
timeout = 1
execute = "/bin/sleep 5"

[domains.t.actions.missing]
description = "No such program"
level = "read"
execute = "/nonexistent/bin/frontiere-none"

[domains.t.actions.true]
description = "Reads nothing"
level = "read"
execute = "/bin/true"

[domains.t.actions.login]
description = "Takes a password"
level = "read"
execute = "$FR_STUBS/p-args {password}"
[domains.t.actions.login.args]
password = { free = true, sensitive = true }

[domains.forgejo]
description = "Forgejo"

[domains.forgejo.actions.backup]
description = "Backup"
level = "read"
tags = ["forgejo"]
execute = "/bin/echo forgejo-backup"

[domains.forgejo.actions.purge]
description = "Admin task"
level = "admin"
tags = ["forgejo"]
execute = "/bin/echo forgejo-purge"

[domains.mastodon]
description = "Mastodon"

[domains.mastodon.actions.backup]
description = "Backup"
level = "read"
tags = ["mastodon"]
execute = "/bin/echo mastodon-backup"

[domains.infra]
description = "Infrastructure"

[domains.infra.actions.status]
description = "Public status"
level = "read"
execute = "/bin/echo infra-status"

$auth
EOF
}

# ---- FIFO-driven runs (nonce mode needs to read the banner first)

p_start() {
	trap '' PIPE
	mkfifo "$BSSH_TMP/fifo"
	timeout 20 env -i PATH="$PATH" "${P_ENV[@]}" frontiere-dispatch "$@" \
		<"$BSSH_TMP/fifo" >"$BSSH_TMP/out" 2>"$BSSH_TMP/stderr" 3>&- &
	P_PID=$!
	exec {P_FD}>"$BSSH_TMP/fifo"
}

p_send() {
	# shellcheck disable=SC2059
	printf "$@" >&"$P_FD"
}

# p_wait_for STR [N]: wait (at most 10 s) until stdout holds STR N times.
p_wait_for() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(grep -cF -- "$1" "$BSSH_TMP/out" 2>/dev/null || true)
		[[ ${n:-0} -ge ${2:-1} ]] && return 0
		sleep 0.1
	done
	printf 'timed out waiting for: %s\nstdout so far:\n%s\n' "$1" "$(cat "$BSSH_TMP/out")" >&2
	return 1
}

p_finish() {
	if [[ -n $P_FD ]]; then
		exec {P_FD}>&-
		P_FD=
	fi
	status=0
	wait "$P_PID" || status=$?
	P_PID=
	output=$(cat "$BSSH_TMP/out")
	mapfile -t lines <"$BSSH_TMP/out"
}

# p_nonce_line PREFIX [N]: the nonce of the N-th (1-based) line starting with PREFIX.
p_nonce_line() {
	grep -F -- "$1" "$BSSH_TMP/out" | sed -n "${2:-1}p" | sed 's/.*nonce=//'
}

# p_wait_file FILE: wait (at most 5 s) for FILE to exist.
p_wait_file() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

BANNER_AUTH='#> ssh-frontiere 3.1.0
+> capabilities rbac, session, help, body
#> type "help" for available commands'

# ---------------------------------------------------------------- simple mode

@test "simple mode: a valid proof raises the level, '#> auth ok, level=ops' comes after the banner (integration 35)" {
	p_config
	p_in '+ auth token=runner proof=%s\nt ops\n.\n' "$P_RUNNER"
	fr_run --level=read --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_equals "$BANNER_AUTH
#> auth ok, level=ops
>> ops
>>> {\"command\":\"t ops\",\"status_code\":0,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}"
	p_stderr_is ""
}

@test "simple mode: the proof is the same on every connection, and no challenge line is sent (integration 37)" {
	p_config
	p_in '+ session keepalive\n+ auth token=runner proof=%s\nt ops\n.\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER" "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_not_contains "challenge"
	p_comments_are "auth ok, level=ops
auth ok, level=ops
session closed"
	p_statuses_are "0 0"
}

@test "a wrong proof: '#> authentication failed (1/3)' and the level stays (ATK-002, integration 36)" {
	p_config
	p_in '+ auth token=runner proof=%s\nt ops\n.\n' "$ZERO"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
	p_stderr_is ""
}

@test "an unknown token gets the same generic failure and the command runs at the base level (ATK-001)" {
	p_config
	p_in '+ auth token=unknown-token proof=%s\n\nt echo\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "authentication failed (1/3)"
	assert_output_contains ">> hello"
}

@test "empty, non-hex and truncated proofs are plain failures (ATK-003, ATK-007, ATK-008)" {
	p_config
	local proof
	for proof in "" ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ abcdef01 "${P_RUNNER:0:63}" "${P_RUNNER}0"; do
		p_in '+ auth token=runner proof=%s\n\nt ops\n.\n' "$proof"
		fr_run --config="$FR_CONF" <"$P_IN"
		assert_status 131
		p_comments_are "authentication failed (1/3)"
	done
}

@test "an uppercase hex proof fails" {
	p_config
	p_in '+ auth token=runner proof=%s\nt ops\n.\n' "${P_RUNNER^^}"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
}

@test "the last '+ auth' of the headers wins: valid then invalid fails (ATK-011)" {
	p_config
	p_in '+ auth token=viewer proof=%s\n+ auth token=runner proof=%s\n\nt ops\n.\n' "$P_VIEWER" "$ZERO"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
	[ "$(fr_responses | wc -l)" -eq 1 ]
}

@test "the last '+ auth' of the headers wins: invalid then valid succeeds, and only one is evaluated" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	p_in '+ auth token=runner proof=%s\n+ auth token=runner proof=%s\nt ops\n.\n' "$ZERO" "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "auth ok, level=ops"
}

@test "'+ auth' without proof= (or without token=) is ignored: no comment, no failure counted (ATK-006)" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	p_in '+ auth token=runner\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are ""
	assert_output_contains ">> hello"
	p_in '+ auth proof=%s\nt echo\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are ""
	p_in '+ session keepalive\nt echo\n.\n+ auth token=runner\n+ auth proof=00\nt echo\n.\n+ auth token=runner proof=00\nt echo\n.\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0 0"
	p_comments_are "authentication failed (1/1)
session terminated"
}

@test "'+ auth' parts in any order, extra parts ignored: level=admin does not elevate (ATK-012)" {
	p_config
	p_in '+ auth proof=%s level=admin token=runner extra=malicious\nt admin\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "auth ok, level=ops"
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
	p_in '+ auth token=runner proof=abcdef01 level=admin extra=malicious\nt admin\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
}

@test "'+ auth' with several token= parts uses the first one" {
	p_config
	p_in '+ auth token=runner token=agent proof=%s\nt ops\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "auth ok, level=ops"
}

@test "'+ auth' with no [auth] section: '#> auth not configured', no failure counted, the command runs (ATK-010)" {
	P_NOAUTH=1
	P_GLOBAL="max_auth_failures = 0"
	p_config
	p_in '+ auth token=runner proof=%s\nt echo\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_line_equals 1 "+> capabilities session, help, body"
	p_comments_are "auth not configured"
	assert_output_contains ">> hello"
	p_in '+ session keepalive\nt echo\n.\n+ auth token=a proof=b\n+ auth token=a proof=b\nt echo\n.\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "auth not configured
auth not configured
session closed"
	p_statuses_are "0 0"
}

@test "the failure text is 'authentication failed (n/max_auth_failures)'" {
	P_GLOBAL="max_auth_failures = 5"
	p_config
	p_in '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n+ auth token=nobody proof=00\n+ auth token=viewer proof=%s\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "authentication failed (1/5)
authentication failed (2/5)
authentication failed (3/5)
session closed"
}

# ---------------------------------------------------------------- lockout

@test "lockout in the headers: '#> session terminated', exit 132, nothing runs, auth_lockout logged" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	p_in '+ session keepalive\n+ auth token=runner proof=%s\nt echo\n.\nt echo\n.\n.\n' "$ZERO"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	assert_output_equals "$BANNER_AUTH
#> authentication failed (1/1)
#> session terminated"
	p_stderr_is ""
	p_log_is '{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (1/1)","effective_tags":[],"action_tags":[]}'
}

@test "max_auth_failures = 0: the first failure locks out" {
	P_GLOBAL="max_auth_failures = 0"
	p_config
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	p_comments_are "authentication failed (1/0)
session terminated"
	assert_output_not_contains ">>"
}

@test "lockout in a session: the session ends, the exit code is the first block's (ATK-004)" {
	p_config
	p_in '+ session keepalive\nt fail\n.\n+ auth token=runner proof=01\nt echo\n.\n+ auth token=runner proof=02\nt echo\n.\n+ auth token=runner proof=03\nt echo\n.\nt echo\n.\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 3
	p_statuses_are "3 0 0"
	p_comments_are "authentication failed (1/3)
authentication failed (2/3)
authentication failed (3/3)
session terminated"
	p_last_line_is "#> session terminated"
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"fail","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}
{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (3/3)","effective_tags":[],"action_tags":[]}'
}

@test "after a session lockout a valid proof is never processed (ATK-005)" {
	P_GLOBAL="max_auth_failures = 2"
	p_config
	p_in '+ session keepalive\nt echo\n.\n+ auth token=runner proof=01\n+ auth token=runner proof=02\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "authentication failed (1/2)
authentication failed (2/2)
session terminated"
	assert_output_not_contains "auth ok"
	p_statuses_are "0"
}

@test "the failure counter is never reset by a success" {
	p_config
	p_in '+ session keepalive\nt echo\n.\n+ auth token=runner proof=01\n+ auth token=runner proof=%s\n+ auth token=runner proof=02\n+ auth token=viewer proof=%s\n+ auth token=runner proof=03\nt echo\n.\n.\n' "$P_RUNNER" "$P_VIEWER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "authentication failed (1/3)
auth ok, level=ops
authentication failed (2/3)
auth ok, level=read
authentication failed (3/3)
session terminated"
	p_statuses_are "0"
}

# ---------------------------------------------------------------- levels and tags

@test "the level after auth is max(base, token): --level=ops with a read token stays ops" {
	p_config
	p_in '+ auth token=viewer proof=%s\nt ops\n.\n' "$P_VIEWER"
	fr_run --level=ops --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "auth ok, level=ops"
	p_in '+ auth token=runner proof=%s\nt admin\n.\n' "$P_RUNNER"
	fr_run --level=admin --config="$FR_CONF" <"$P_IN"
	assert_success
	p_comments_are "auth ok, level=admin"
}

@test "re-auth in a session raises the level: 0, 131, 0 (SES-005)" {
	p_config
	p_in '+ session keepalive\nt echo\n.\nt ops\n.\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0 131 0"
	p_comments_are "auth ok, level=ops
session closed"
}

@test "a later auth with a lower token lowers the level again (RBA-009)" {
	p_config
	p_in '+ session keepalive\n+ auth token=agent proof=%s\nt admin\n.\n+ auth token=viewer proof=%s\nt admin\n.\n.\n' "$P_AGENT" "$P_VIEWER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0 131"
	p_comments_are "auth ok, level=admin
auth ok, level=read
session closed"
	[ "$(fr_json 1 status_message)" = "rejected: insufficient level (admin required, read granted)" ]
}

@test "without auth a tagged action is a tag mismatch (131), a public one runs (integration 27, 30)" {
	p_config
	p_in 'forgejo backup\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: access denied (tag mismatch)" ]
	p_in 'infra status\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
}

@test "tags are checked before the level" {
	p_config
	p_in 'forgejo purge\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: access denied (tag mismatch)" ]
	p_in '+ auth token=runner proof=%s\nforgejo purge\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
}

@test "token tags accumulate in a session: the union of every successful auth (RBA-008)" {
	p_config
	p_in '+ session keepalive\n+ auth token=runner proof=%s\nforgejo backup\n.\nmastodon backup\n.\n+ auth token=agent proof=%s\nmastodon backup\n.\nforgejo backup\n.\n+ auth token=viewer proof=%s\nforgejo backup\n.\n.\n' "$P_RUNNER" "$P_AGENT" "$P_VIEWER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0 131 0 0 0"
	[ "$(fr_json 1 status_message)" = "rejected: access denied (tag mismatch)" ]
}

@test "successful and failed (non-lockout) auths, help, list, exit and 128 rejections are not logged" {
	p_config
	{
		printf '+ session keepalive\n+ auth token=runner proof=%s\nhelp\n.\nlist\n.\nexit\n.\nt nope\n.\n' "$P_RUNNER"
		printf 't echo extra\n.\nt\n.\n+ auth token=runner proof=00\nhelp t\n.\n'
		printf '%5000s\n' x
	} >"$P_IN"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0 0 0 128 128 128 0"
	assert_output_contains "#> protocol error: line too long"
	[ ! -s "$FR_LOG" ]
}

# ---------------------------------------------------------------- nonce mode

@test "nonce mode: a simple-mode proof fails" {
	P_AUTH="challenge_nonce = true"
	p_config
	p_in '+ auth token=runner proof=%s\nt ops\n.\n' "$P_RUNNER"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
}

@test "nonce mode: the proof from the banner nonce works, then '#> new challenge nonce=' follows 'auth ok' (integration 28-30)" {
	P_AUTH="challenge_nonce = true"
	p_config
	p_start --level=read --config="$FR_CONF"
	p_wait_for '+> challenge nonce='
	local n0 n1
	n0=$(p_nonce_line '+> challenge nonce=')
	[[ $n0 =~ ^[0-9a-f]{32}$ ]]
	p_send '+ session keepalive\n+ auth token=runner proof=%s\nforgejo backup\n.\nmastodon backup\n.\ninfra status\n.\n.\n' "$(fr_proof secret "$n0")"
	p_finish
	assert_success
	assert_line_equals 4 "#> auth ok, level=ops"
	[[ ${lines[5]} =~ ^#\>\ new\ challenge\ nonce=[0-9a-f]{32}$ ]]
	n1=${lines[5]#*nonce=}
	[ "$n1" != "$n0" ]
	assert_line_equals 6 ">> forgejo-backup"
	p_statuses_are "0 131 0"
	[ "$(fr_json 1 status_message)" = "rejected: access denied (tag mismatch)" ]
}

@test "decision 6: the header proof cannot be replayed in the session, the new nonce works, each success rotates it" {
	P_AUTH="challenge_nonce = true"
	p_config
	p_start --config="$FR_CONF"
	p_wait_for '+> challenge nonce='
	local n0 n1 n2 p0 p1
	n0=$(p_nonce_line '+> challenge nonce=')
	p0=$(fr_proof secret "$n0")
	p_send '+ session keepalive\n+ auth token=runner proof=%s\nt ops\n.\n' "$p0"
	p_wait_for '>>> ' 1
	n1=$(p_nonce_line '#> new challenge nonce=' 1)
	[[ $n1 =~ ^[0-9a-f]{32}$ ]]
	# replay of the header-phase proof
	p_send '+ auth token=runner proof=%s\n' "$p0"
	p_wait_for '#> authentication failed (1/3)'
	p1=$(fr_proof secret "$n1")
	p_send '+ auth token=runner proof=%s\nt ops\n.\n' "$p1"
	p_wait_for '>>> ' 2
	n2=$(p_nonce_line '#> new challenge nonce=' 2)
	[[ $n2 =~ ^[0-9a-f]{32}$ ]]
	# replay of the in-session proof
	p_send '+ auth token=runner proof=%s\n.\n' "$p1"
	p_finish
	assert_success
	[ "$n0" != "$n1" ]
	[ "$n1" != "$n2" ]
	[ "$n0" != "$n2" ]
	[ "$(printf '%s\n' "$output" | sed -E 's/nonce=[0-9a-f]{32}$/nonce=N/')" = '#> ssh-frontiere 3.1.0
+> capabilities rbac, session, help, body
+> challenge nonce=N
#> type "help" for available commands
#> auth ok, level=ops
#> new challenge nonce=N
>> ops
>>> {"command":"t ops","status_code":0,"status_message":"executed","stdout":null,"stderr":null}
#> authentication failed (1/3)
#> auth ok, level=ops
#> new challenge nonce=N
>> ops
>>> {"command":"t ops","status_code":0,"status_message":"executed","stdout":null,"stderr":null}
#> authentication failed (2/3)
#> session closed' ]
}

@test "nonce mode: a proof computed for another connection's nonce is rejected (AUT-008)" {
	P_AUTH="challenge_nonce = true"
	p_config
	fr_run --config="$FR_CONF" </dev/null
	local old
	old=${lines[2]#+> challenge nonce=}
	[[ $old =~ ^[0-9a-f]{32}$ ]]
	p_in '+ auth token=runner proof=%s\nt ops\n.\n' "$(fr_proof secret "$old")"
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_comments_are "authentication failed (1/3)"
}

# ---------------------------------------------------------------- ban_command

@test "decision 9: on lockout ban_command runs with {ip} from SSH_CLIENT, env only PATH, stdin /dev/null" {
	P_GLOBAL="max_auth_failures = 1
ban_command = \"$FR_STUBS/p-ban $BSSH_TMP/ban.out {ip} x{ip}y\""
	p_config
	P_ENV=("SSH_CLIENT=192.0.2.7 5555 22" "FR_MARKER=leaked" "HOME=/root")
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	p_wait_file "$BSSH_TMP/ban.out"
	run grep '^arg=' "$BSSH_TMP/ban.out"
	assert_output_equals "arg=192.0.2.7
arg=x192.0.2.7y"
	run grep '^fd0=' "$BSSH_TMP/ban.out"
	assert_output_equals "fd0=/dev/null"
	run bash -c "sed -n 's/^env://p' '$BSSH_TMP/ban.out' | grep -v -E '^(PWD|SHLVL|_|OLDPWD)='"
	assert_output_equals "PATH=/usr/local/bin:/usr/bin:/bin"
}

@test "ban_command does not run without SSH_CLIENT" {
	P_GLOBAL="max_auth_failures = 1
ban_command = \"$FR_STUBS/p-ban $BSSH_TMP/ban.out {ip}\""
	p_config
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	sleep 0.3
	[ ! -e "$BSSH_TMP/ban.out" ]
}

@test "ban_command runs on a session lockout too, not on a failure below the limit" {
	P_GLOBAL="max_auth_failures = 2
ban_command = \"$FR_STUBS/p-ban $BSSH_TMP/ban.out {ip}\""
	p_config
	P_ENV=("SSH_CLIENT=198.51.100.9 40000 22")
	p_in '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_success
	sleep 0.3
	[ ! -e "$BSSH_TMP/ban.out" ]
	p_in '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n+ auth token=runner proof=01\nt echo\n.\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_statuses_are "0"
	p_wait_file "$BSSH_TMP/ban.out"
	run grep '^arg=' "$BSSH_TMP/ban.out"
	assert_output_equals "arg=198.51.100.9"
}

@test "an empty ban_command (the default) does nothing on lockout" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	P_ENV=("SSH_CLIENT=192.0.2.7 5555 22")
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	p_comments_are "authentication failed (1/1)
session terminated"
}

# ---------------------------------------------------------------- logging

@test "log: 'executed' has the fields in order, UTC timestamp, pid, and no ssh_client without SSH_CLIENT" {
	p_config
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	local re='^\{"event":"executed","timestamp":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z","pid":[1-9][0-9]*,"domain":"t","action":"echo","effective_tags":\[\],"action_tags":\[\]\}$'
	[ "$(wc -l <"$FR_LOG")" -eq 1 ]
	[[ $(cat "$FR_LOG") =~ $re ]]
}

@test "log: the timestamp is the current UTC time and pid is the dispatcher's" {
	p_config
	p_in 't echo\n.\n'
	local pid before after ts
	before=$(date -u +%s)
	env -i PATH="$PATH" frontiere-dispatch --config="$FR_CONF" <"$P_IN" >"$BSSH_TMP/out" 2>&1 3>&- &
	pid=$!
	wait "$pid"
	after=$(date -u +%s)
	ts=$(sed -E 's/.*"timestamp":"([^"]*)".*/\1/' "$FR_LOG")
	ts=$(date -u -d "$ts" +%s)
	((ts >= before - 1 && ts <= after + 1))
	grep -q "\"pid\":$pid," "$FR_LOG"
}

@test "log: ssh_client is the whole SSH_CLIENT value when it is set (LOG-002)" {
	p_config
	P_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	p_in 't echo\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: a child exit code other than 0 is still 'executed'" {
	p_config
	p_in 't fail\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 3
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"fail","effective_tags":[],"action_tags":[]}'
}

@test "log: a timeout is logged as 'timeout'" {
	p_config
	P_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	p_in 't sleep\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_status 130
	p_log_is '{"event":"timeout","timestamp":"T","pid":P,"domain":"t","action":"sleep","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: RBAC rejections (level and tags) and spawn failures are 'rejected', grammar rejections are not logged" {
	p_config
	p_in 't ops\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_in 'forgejo backup\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 131
	p_in 't missing\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 128
	p_in 't nope\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 128
	p_in 'nope nope\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 128
	p_in 't echo x=1\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 128
	p_log_is '{"event":"rejected","timestamp":"T","pid":P,"domain":"t","action":"ops","effective_tags":[],"action_tags":[]}
{"event":"rejected","timestamp":"T","pid":P,"domain":"forgejo","action":"backup","effective_tags":[],"action_tags":[]}
{"event":"rejected","timestamp":"T","pid":P,"domain":"t","action":"missing","effective_tags":[],"action_tags":[]}'
}

@test "log: a body write failure (133) is 'stdin_error'" {
	p_config
	{ printf '+ body size=61440\nt true\n.\n'; head -c 61440 /dev/zero | tr '\0' a; } >"$P_IN"
	local i
	# The body fits in the pipe buffer, so the write fails only when the
	# child is gone before it starts (spec §3.5): try up to 40 times.
	for ((i = 1; i <= 40; i++)); do
		rm -f "$FR_LOG"
		fr_run --config="$FR_CONF" <"$P_IN"
		[[ $status == 133 ]] && break
	done
	assert_status 133
	p_log_is '{"event":"stdin_error","timestamp":"T","pid":P,"domain":"t","action":"true","effective_tags":[],"action_tags":[]}'
}

@test "log: 'auth_lockout' carries the failure message as reason and ssh_client" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	P_ENV=("SSH_CLIENT=192.0.2.7 5555 22")
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
	p_log_is '{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (1/1)","ssh_client":"192.0.2.7 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: with log_comments every client comment is a 'client_comment' (JSON-escaped, no ssh_client) (LOG-003)" {
	P_GLOBAL="log_comments = true"
	p_config
	P_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	p_in '# hello world\n#\n# say "hi" \\o/ café\n+ session keepalive\nt echo\n.\n# in session\n.\n'
	p_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_log_is '{"event":"client_comment","timestamp":"T","pid":P,"reason":"hello world","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"say \"hi\" \\o/ café","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"in session","effective_tags":[],"action_tags":[]}'
}

@test "log: without log_comments, comments are not logged" {
	p_config
	p_in '# hello\n+ session keepalive\nt echo\n.\n# in session\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}'
}

@test "log: a sensitive argument value never appears in the log (OUT-008, decision 12)" {
	P_GLOBAL="mask_sensitive = true"
	p_config
	p_in 't login password=SuperSecret123\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> arg=[SuperSecret123]"
	[ -s "$FR_LOG" ]
	run grep -c SuperSecret123 "$FR_LOG"
	assert_output_equals 0
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"login","effective_tags":[],"action_tags":[]}'
	run grep -c SuperSecret123 "$BSSH_TMP/stderr"
	assert_output_equals 0
}

@test "log: entries are appended, missing parent directories are created" {
	P_GLOBAL=
	p_config
	[ ! -d "$BSSH_TMP/log" ]
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	[ "$(wc -l <"$FR_LOG")" -eq 2 ]
}

@test "log: a log_file that cannot be written does not stop the command (CFG-012)" {
	: >"$BSSH_TMP/plainfile"
	FR_LOG=$BSSH_TMP/plainfile/sub/commands.json
	P_GLOBAL="max_auth_failures = 1"
	p_config
	p_in 't echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_success
	assert_output_contains ">> hello"
	p_stderr_is ""
	p_in '+ auth token=runner proof=00\nt echo\n.\n'
	fr_run --config="$FR_CONF" <"$P_IN"
	assert_status 132
}
