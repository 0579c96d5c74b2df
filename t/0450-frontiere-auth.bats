#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2034,SC2154
# frontiere-dispatch: authentication, RBAC through tokens, ban_command and
# logging (spec §4, §6, §10.6, §12; Python ATK-001..012, RBA-008/009,
# SES-005; integration tests 28-37; decisions 6, 9, 12).

bats_require_minimum_version 1.5.0

load lib/common
load lib/frontiere

setup() {
	fr_setup
	P_GLOBAL=
	P_AUTH="challenge_nonce = false"
	P_NOAUTH=
	# simple-mode proofs: lowercase hex SHA-256 of the secret
	P_RUNNER=$(fr_sproof secret)
	P_AGENT=$(fr_sproof secret2)
	P_VIEWER=$(fr_sproof viewer)
	ZERO=0000000000000000000000000000000000000000000000000000000000000000
}

teardown() {
	fr_teardown
}

# ---------------------------------------------------------------- helpers

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

$(fr_domains)
$(fr_action t.fail 'Exit 3' read "$FR_STUBS/c-exit.sh 3")
$(fr_action t.sleep 'Too slow' read '/bin/sleep 5' 'timeout = 1')
$(fr_action t.missing 'No such program' read '/nonexistent/bin/frontiere-none')
$(fr_action t.true 'Reads nothing' read '/bin/true')
$(fr_action t.login 'Takes a password' read "$FR_STUBS/c-args.sh {password}")
[domains.t.actions.login.args]
password = { free = true, sensitive = true }

[domains.forgejo]
description = "Forgejo"

$(fr_action forgejo.backup 'Backup' read '/bin/echo forgejo-backup' 'tags = ["forgejo"]')
$(fr_action forgejo.purge 'Admin task' admin '/bin/echo forgejo-purge' 'tags = ["forgejo"]')

[domains.mastodon]
description = "Mastodon"

$(fr_action mastodon.backup 'Backup' read '/bin/echo mastodon-backup' 'tags = ["mastodon"]')

[domains.infra]
description = "Infrastructure"

$(fr_action infra.status 'Public status' read '/bin/echo infra-status')

$auth
EOF
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

# ---------------------------------------------------------------- simple mode

@test "simple mode: a valid proof raises the level, '#> auth ok, level=ops' comes after the banner (integration 35)" {
	p_config
	fr_feed --level=read '+ auth token=runner proof=%s\nt ops\n.\n' "$P_RUNNER"
	assert_success
	assert_output_equals "$FR_BANNER_AUTH
#> auth ok, level=ops
>> ops
>>> {\"command\":\"t ops\",\"status_code\":0,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}"
	fr_stderr_is ""
}

@test "simple mode: the proof is the same on every connection, and no challenge line is sent (integration 37)" {
	p_config
	fr_feed '+ session keepalive\n+ auth token=runner proof=%s\nt ops\n.\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER" "$P_RUNNER"
	assert_success
	assert_output_not_contains "challenge"
	fr_comments_are "auth ok, level=ops
auth ok, level=ops
session closed"
	fr_codes_are "0 0"
}

@test "a wrong proof: '#> authentication failed (1/3)' and the level stays (ATK-002, integration 36)" {
	p_config
	fr_feed '+ auth token=runner proof=%s\nt ops\n.\n' "$ZERO"
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (ops required, read granted)" ]
	fr_stderr_is ""
}

@test "an unknown token gets the same generic failure and the command runs at the base level (ATK-001)" {
	p_config
	fr_feed '+ auth token=unknown-token proof=%s\n\nt echo\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are "authentication failed (1/3)"
	assert_output_contains ">> hello"
}

@test "empty, non-hex and truncated proofs are plain failures (ATK-003, ATK-007, ATK-008)" {
	p_config
	local proof
	for proof in "" ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ abcdef01 "${P_RUNNER:0:63}" "${P_RUNNER}0"; do
		fr_feed '+ auth token=runner proof=%s\n\nt ops\n.\n' "$proof"
		assert_status 131
		fr_comments_are "authentication failed (1/3)"
	done
}

@test "an uppercase hex proof fails" {
	p_config
	fr_feed '+ auth token=runner proof=%s\nt ops\n.\n' "${P_RUNNER^^}"
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
}

@test "the last '+ auth' of the headers wins: valid then invalid fails (ATK-011)" {
	p_config
	fr_feed '+ auth token=viewer proof=%s\n+ auth token=runner proof=%s\n\nt ops\n.\n' "$P_VIEWER" "$ZERO"
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
	[ "$(fr_responses | wc -l)" -eq 1 ]
}

@test "the last '+ auth' of the headers wins: invalid then valid succeeds, and only one is evaluated" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	fr_feed '+ auth token=runner proof=%s\n+ auth token=runner proof=%s\nt ops\n.\n' "$ZERO" "$P_RUNNER"
	assert_success
	fr_comments_are "auth ok, level=ops"
}

@test "'+ auth' without proof= (or without token=) is ignored: no comment, no failure counted (ATK-006)" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	fr_feed '+ auth token=runner\nt echo\n.\n'
	assert_success
	fr_comments_are ""
	assert_output_contains ">> hello"
	fr_feed '+ auth proof=%s\nt echo\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are ""
	fr_feed '+ session keepalive\nt echo\n.\n+ auth token=runner\n+ auth proof=00\nt echo\n.\n+ auth token=runner proof=00\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0"
	fr_comments_are "authentication failed (1/1)
session terminated"
}

@test "'+ auth' parts in any order, extra parts ignored: level=admin does not elevate (ATK-012)" {
	p_config
	fr_feed '+ auth proof=%s level=admin token=runner extra=malicious\nt admin\n.\n' "$P_RUNNER"
	assert_status 131
	fr_comments_are "auth ok, level=ops"
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
	fr_feed '+ auth token=runner proof=abcdef01 level=admin extra=malicious\nt admin\n.\n'
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
}

@test "'+ auth' with several token= parts uses the first one" {
	p_config
	fr_feed '+ auth token=runner token=agent proof=%s\nt ops\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are "auth ok, level=ops"
}

@test "'+ auth' with no [auth] section: '#> auth not configured', no failure counted, the command runs (ATK-010)" {
	P_NOAUTH=1
	P_GLOBAL="max_auth_failures = 0"
	p_config
	fr_feed '+ auth token=runner proof=%s\nt echo\n.\n' "$P_RUNNER"
	assert_success
	assert_line_equals 1 "+> capabilities session, help, body"
	fr_comments_are "auth not configured"
	assert_output_contains ">> hello"
	fr_feed '+ session keepalive\nt echo\n.\n+ auth token=a proof=b\n+ auth token=a proof=b\nt echo\n.\n.\n'
	assert_success
	fr_comments_are "auth not configured
auth not configured
session closed"
	fr_codes_are "0 0"
}

@test "the failure text is 'authentication failed (n/max_auth_failures)'" {
	P_GLOBAL="max_auth_failures = 5"
	p_config
	fr_feed '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n+ auth token=nobody proof=00\n+ auth token=viewer proof=%s\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are "authentication failed (1/5)
authentication failed (2/5)
authentication failed (3/5)
session closed"
}

# ---------------------------------------------------------------- lockout

@test "lockout in the headers: '#> session terminated', exit 132, nothing runs, auth_lockout logged" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	fr_feed '+ session keepalive\n+ auth token=runner proof=%s\nt echo\n.\nt echo\n.\n.\n' "$ZERO"
	assert_status 132
	assert_output_equals "$FR_BANNER_AUTH
#> authentication failed (1/1)
#> session terminated"
	fr_stderr_is ""
	p_log_is '{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (1/1)","effective_tags":[],"action_tags":[]}'
}

@test "max_auth_failures = 0: the first failure locks out" {
	P_GLOBAL="max_auth_failures = 0"
	p_config
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
	assert_status 132
	fr_comments_are "authentication failed (1/0)
session terminated"
	assert_output_not_contains ">>"
}

@test "lockout in a session: the session ends, the exit code is the first block's (ATK-004)" {
	p_config
	fr_feed '+ session keepalive\nt fail\n.\n+ auth token=runner proof=01\nt echo\n.\n+ auth token=runner proof=02\nt echo\n.\n+ auth token=runner proof=03\nt echo\n.\nt echo\n.\n.\n'
	assert_status 3
	fr_codes_are "3 0 0"
	fr_comments_are "authentication failed (1/3)
authentication failed (2/3)
authentication failed (3/3)
session terminated"
	fr_last_line_is "#> session terminated"
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"fail","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}
{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (3/3)","effective_tags":[],"action_tags":[]}'
}

@test "after a session lockout a valid proof is never processed (ATK-005)" {
	P_GLOBAL="max_auth_failures = 2"
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n+ auth token=runner proof=01\n+ auth token=runner proof=02\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are "authentication failed (1/2)
authentication failed (2/2)
session terminated"
	assert_output_not_contains "auth ok"
	fr_codes_are "0"
}

@test "the failure counter is never reset by a success" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n+ auth token=runner proof=01\n+ auth token=runner proof=%s\n+ auth token=runner proof=02\n+ auth token=viewer proof=%s\n+ auth token=runner proof=03\nt echo\n.\n.\n' "$P_RUNNER" "$P_VIEWER"
	assert_success
	fr_comments_are "authentication failed (1/3)
auth ok, level=ops
authentication failed (2/3)
auth ok, level=read
authentication failed (3/3)
session terminated"
	fr_codes_are "0"
}

# ---------------------------------------------------------------- levels and tags

@test "the level after auth is max(base, token): --level=ops with a read token stays ops" {
	p_config
	fr_feed --level=ops '+ auth token=viewer proof=%s\nt ops\n.\n' "$P_VIEWER"
	assert_success
	fr_comments_are "auth ok, level=ops"
	fr_feed --level=admin '+ auth token=runner proof=%s\nt admin\n.\n' "$P_RUNNER"
	assert_success
	fr_comments_are "auth ok, level=admin"
}

@test "re-auth in a session raises the level: 0, 131, 0 (SES-005)" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\nt ops\n.\n+ auth token=runner proof=%s\nt ops\n.\n.\n' "$P_RUNNER"
	assert_success
	fr_codes_are "0 131 0"
	fr_comments_are "auth ok, level=ops
session closed"
}

@test "a later auth with a lower token lowers the level again (RBA-009)" {
	p_config
	fr_feed '+ session keepalive\n+ auth token=agent proof=%s\nt admin\n.\n+ auth token=viewer proof=%s\nt admin\n.\n.\n' "$P_AGENT" "$P_VIEWER"
	assert_success
	fr_codes_are "0 131"
	fr_comments_are "auth ok, level=admin
auth ok, level=read
session closed"
	[ "$(fr_json 1 status_message)" = "rejected: insufficient level (admin required, read granted)" ]
}

@test "without auth a tagged action is a tag mismatch (131), a public one runs (integration 27, 30)" {
	p_config
	fr_feed 'forgejo backup\n.\n'
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: access denied (tag mismatch)" ]
	fr_feed 'infra status\n.\n'
	assert_success
}

@test "tags are checked before the level" {
	p_config
	fr_feed 'forgejo purge\n.\n'
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: access denied (tag mismatch)" ]
	fr_feed '+ auth token=runner proof=%s\nforgejo purge\n.\n' "$P_RUNNER"
	assert_status 131
	[ "$(fr_json 0 status_message)" = "rejected: insufficient level (admin required, ops granted)" ]
}

@test "token tags accumulate in a session: the union of every successful auth (RBA-008)" {
	p_config
	fr_feed '+ session keepalive\n+ auth token=runner proof=%s\nforgejo backup\n.\nmastodon backup\n.\n+ auth token=agent proof=%s\nmastodon backup\n.\nforgejo backup\n.\n+ auth token=viewer proof=%s\nforgejo backup\n.\n.\n' "$P_RUNNER" "$P_AGENT" "$P_VIEWER"
	assert_success
	fr_codes_are "0 131 0 0 0"
	[ "$(fr_json 1 status_message)" = "rejected: access denied (tag mismatch)" ]
}

@test "successful and failed (non-lockout) auths, help, list, exit and 128 rejections are not logged" {
	p_config
	{
		printf '+ session keepalive\n+ auth token=runner proof=%s\nhelp\n.\nlist\n.\nexit\n.\nt nope\n.\n' "$P_RUNNER"
		printf 't echo extra\n.\nt\n.\n+ auth token=runner proof=00\nhelp t\n.\n'
		printf '%5000s\n' x
	} >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	fr_codes_are "0 0 0 128 128 128 0"
	assert_output_contains "#> protocol error: line too long"
	[ ! -s "$FR_LOG" ]
}

# ---------------------------------------------------------------- nonce mode

@test "nonce mode: a simple-mode proof fails" {
	P_AUTH="challenge_nonce = true"
	p_config
	fr_feed '+ auth token=runner proof=%s\nt ops\n.\n' "$P_RUNNER"
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
}

@test "nonce mode: the proof from the banner nonce works, then '#> new challenge nonce=' follows 'auth ok' (integration 28-30)" {
	P_AUTH="challenge_nonce = true"
	p_config
	fr_start --level=read --config="$FR_CONF"
	fr_wait_for '+> challenge nonce='
	local n0 n1
	n0=$(p_nonce_line '+> challenge nonce=')
	[[ $n0 =~ ^[0-9a-f]{32}$ ]]
	fr_send '+ session keepalive\n+ auth token=runner proof=%s\nforgejo backup\n.\nmastodon backup\n.\ninfra status\n.\n.\n' "$(fr_proof secret "$n0")"
	fr_finish
	assert_success
	assert_line_equals 4 "#> auth ok, level=ops"
	[[ ${lines[5]} =~ ^#\>\ new\ challenge\ nonce=[0-9a-f]{32}$ ]]
	n1=${lines[5]#*nonce=}
	[ "$n1" != "$n0" ]
	assert_line_equals 6 ">> forgejo-backup"
	fr_codes_are "0 131 0"
	[ "$(fr_json 1 status_message)" = "rejected: access denied (tag mismatch)" ]
}

@test "decision 6: the header proof cannot be replayed in the session, the new nonce works, each success rotates it" {
	P_AUTH="challenge_nonce = true"
	p_config
	fr_start --config="$FR_CONF"
	fr_wait_for '+> challenge nonce='
	local n0 n1 n2 p0 p1
	n0=$(p_nonce_line '+> challenge nonce=')
	p0=$(fr_proof secret "$n0")
	fr_send '+ session keepalive\n+ auth token=runner proof=%s\nt ops\n.\n' "$p0"
	fr_wait_for '>>> ' 1
	n1=$(p_nonce_line '#> new challenge nonce=' 1)
	[[ $n1 =~ ^[0-9a-f]{32}$ ]]
	# replay of the header-phase proof
	fr_send '+ auth token=runner proof=%s\n' "$p0"
	fr_wait_for '#> authentication failed (1/3)'
	p1=$(fr_proof secret "$n1")
	fr_send '+ auth token=runner proof=%s\nt ops\n.\n' "$p1"
	fr_wait_for '>>> ' 2
	n2=$(p_nonce_line '#> new challenge nonce=' 2)
	[[ $n2 =~ ^[0-9a-f]{32}$ ]]
	# replay of the in-session proof
	fr_send '+ auth token=runner proof=%s\n.\n' "$p1"
	fr_finish
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
	fr_feed </dev/null
	local old
	old=${lines[2]#+> challenge nonce=}
	[[ $old =~ ^[0-9a-f]{32}$ ]]
	fr_feed '+ auth token=runner proof=%s\nt ops\n.\n' "$(fr_proof secret "$old")"
	assert_status 131
	fr_comments_are "authentication failed (1/3)"
}

# ---------------------------------------------------------------- ban_command

@test "decision 9: on lockout ban_command runs with {ip} from SSH_CLIENT, env only PATH, stdin /dev/null" {
	P_GLOBAL="max_auth_failures = 1
ban_command = \"$FR_STUBS/p-ban $BSSH_TMP/ban.out {ip} x{ip}y\""
	p_config
	FR_ENV=("SSH_CLIENT=192.0.2.7 5555 22" "FR_MARKER=leaked" "HOME=/root")
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
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
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
	assert_status 132
	sleep 0.3
	[ ! -e "$BSSH_TMP/ban.out" ]
}

@test "ban_command runs on a session lockout too, not on a failure below the limit" {
	P_GLOBAL="max_auth_failures = 2
ban_command = \"$FR_STUBS/p-ban $BSSH_TMP/ban.out {ip}\""
	p_config
	FR_ENV=("SSH_CLIENT=198.51.100.9 40000 22")
	fr_feed '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n.\n'
	assert_success
	sleep 0.3
	[ ! -e "$BSSH_TMP/ban.out" ]
	fr_feed '+ session keepalive\n+ auth token=runner proof=00\nt echo\n.\n+ auth token=runner proof=01\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0"
	p_wait_file "$BSSH_TMP/ban.out"
	run grep '^arg=' "$BSSH_TMP/ban.out"
	assert_output_equals "arg=198.51.100.9"
}

@test "an empty ban_command (the default) does nothing on lockout" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	FR_ENV=("SSH_CLIENT=192.0.2.7 5555 22")
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
	assert_status 132
	fr_comments_are "authentication failed (1/1)
session terminated"
}

# ---------------------------------------------------------------- logging

@test "log: 'executed' has the fields in order, UTC timestamp, pid, and no ssh_client without SSH_CLIENT" {
	p_config
	fr_feed 't echo\n.\n'
	assert_success
	local re='^\{"event":"executed","timestamp":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z","pid":[1-9][0-9]*,"domain":"t","action":"echo","effective_tags":\[\],"action_tags":\[\]\}$'
	[ "$(wc -l <"$FR_LOG")" -eq 1 ]
	[[ $(cat "$FR_LOG") =~ $re ]]
}

@test "log: the timestamp is the current UTC time and pid is the dispatcher's" {
	p_config
	fr_in 't echo\n.\n'
	local pid before after ts
	before=$(date -u +%s)
	env -i PATH="$PATH" frontiere-dispatch --config="$FR_CONF" <"$FR_IN" >"$BSSH_TMP/out" 2>&1 3>&- &
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
	FR_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	fr_feed 't echo\n.\n'
	assert_success
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: a child exit code other than 0 is still 'executed'" {
	p_config
	fr_feed 't fail\n.\n'
	assert_status 3
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"fail","effective_tags":[],"action_tags":[]}'
}

@test "log: a timeout is logged as 'timeout'" {
	p_config
	FR_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	fr_feed 't sleep\n.\n'
	assert_status 130
	p_log_is '{"event":"timeout","timestamp":"T","pid":P,"domain":"t","action":"sleep","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: RBAC rejections (level and tags) and spawn failures are 'rejected', grammar rejections are not logged" {
	p_config
	fr_feed 't ops\n.\n'
	assert_status 131
	fr_feed 'forgejo backup\n.\n'
	assert_status 131
	fr_feed 't missing\n.\n'
	assert_status 128
	fr_feed 't nope\n.\n'
	assert_status 128
	fr_feed 'nope nope\n.\n'
	assert_status 128
	fr_feed 't echo x=1\n.\n'
	assert_status 128
	p_log_is '{"event":"rejected","timestamp":"T","pid":P,"domain":"t","action":"ops","effective_tags":[],"action_tags":[]}
{"event":"rejected","timestamp":"T","pid":P,"domain":"forgejo","action":"backup","effective_tags":[],"action_tags":[]}
{"event":"rejected","timestamp":"T","pid":P,"domain":"t","action":"missing","effective_tags":[],"action_tags":[]}'
}

@test "log: a body write failure (133) is 'stdin_error'" {
	p_config
	{ printf '+ body size=61440\nt true\n.\n'; head -c 61440 /dev/zero | tr '\0' a; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_status 133
	p_log_is '{"event":"stdin_error","timestamp":"T","pid":P,"domain":"t","action":"true","effective_tags":[],"action_tags":[]}'
}

@test "log: 'auth_lockout' carries the failure message as reason and ssh_client" {
	P_GLOBAL="max_auth_failures = 1"
	p_config
	FR_ENV=("SSH_CLIENT=192.0.2.7 5555 22")
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
	assert_status 132
	p_log_is '{"event":"auth_lockout","timestamp":"T","pid":P,"reason":"authentication failed (1/1)","ssh_client":"192.0.2.7 5555 22","effective_tags":[],"action_tags":[]}'
}

@test "log: with log_comments every client comment is a 'client_comment' (JSON-escaped, no ssh_client) (LOG-003)" {
	P_GLOBAL="log_comments = true"
	p_config
	FR_ENV=("SSH_CLIENT=10.0.0.1 5555 22")
	fr_feed '# hello world\n#\n# say "hi" \\o/ café\n+ session keepalive\nt echo\n.\n# in session\n.\n'
	assert_success
	p_log_is '{"event":"client_comment","timestamp":"T","pid":P,"reason":"hello world","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"say \"hi\" \\o/ café","effective_tags":[],"action_tags":[]}
{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","ssh_client":"10.0.0.1 5555 22","effective_tags":[],"action_tags":[]}
{"event":"client_comment","timestamp":"T","pid":P,"reason":"in session","effective_tags":[],"action_tags":[]}'
}

@test "log: without log_comments, comments are not logged" {
	p_config
	fr_feed '# hello\n+ session keepalive\nt echo\n.\n# in session\n.\n'
	assert_success
	p_log_is '{"event":"executed","timestamp":"T","pid":P,"domain":"t","action":"echo","effective_tags":[],"action_tags":[]}'
}

@test "log: a sensitive argument value never appears in the log (OUT-008, decision 12)" {
	P_GLOBAL="mask_sensitive = true"
	p_config
	fr_feed 't login password=SuperSecret123\n.\n'
	assert_success
	assert_output_contains ">> argc=1
>> [SuperSecret123]"
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
	fr_feed 't echo\n.\n'
	assert_success
	fr_feed <"$FR_IN"
	assert_success
	[ "$(wc -l <"$FR_LOG")" -eq 2 ]
}

@test "log: a log_file that cannot be written does not stop the command (CFG-012)" {
	: >"$BSSH_TMP/plainfile"
	FR_LOG=$BSSH_TMP/plainfile/sub/commands.json
	P_GLOBAL="max_auth_failures = 1"
	p_config
	fr_feed 't echo\n.\n'
	assert_success
	assert_output_contains ">> hello"
	fr_stderr_is ""
	fr_feed '+ auth token=runner proof=00\nt echo\n.\n'
	assert_status 132
}
