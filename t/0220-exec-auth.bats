#!/usr/bin/env bats
# bssh-exec authentication against a real OpenSSH sshd: identity files
# (wrong, right, encrypted, default), the agent (-A, IdentitiesOnly), the
# password (BSSH_PASSWORD, --secrets-fd, --password), the secrets record's
# validation, and secrets never showing in any output.
#
# The fixture's sshd offers publickey, plus password when run as root
# (KbdInteractiveAuthentication no); the password tests skip otherwise.

load lib/common
load lib/sshd
load lib/client

setup_file() {
	fx_start 2
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	# Host key checking settled; authentication left to each test.
	HKOPTS=(-p "$FX_PORT" -l "$FX_USER" -o UserKnownHostsFile="$FX_KNOWN_HOSTS"
		-o GlobalKnownHostsFile=none --strict-host-key-checking yes)
	if [[ -n $FX_PASSWORD ]]; then
		OFFERED=publickey,password
	else
		OFFERED=publickey
	fi
	DENIED="authenticate as $FX_USER: permission denied ($OFFERED)"
	AGENT_PID=
	unset BSSH_PASSWORD
}

teardown() {
	if [[ -n ${AGENT_PID:-} ]]; then
		kill "$AGENT_PID" 2>/dev/null || true
	fi
}

need_password() {
	[[ -n $FX_PASSWORD ]] || skip "the fixture offers password authentication only as root"
}

# start_agent: a private ssh-agent holding FX_KEY; SSH_AUTH_SOCK exported.
start_agent() {
	# 3>&-: the daemon must not hold bats' output descriptor.
	ssh-agent -s -a "$BSSH_TMP/agent.sock" >"$BSSH_TMP/agent.env" </dev/null 3>&-
	AGENT_PID=$(sed -n 's/^SSH_AGENT_PID=\([0-9][0-9]*\);.*/\1/p' "$BSSH_TMP/agent.env")
	[[ -n $AGENT_PID ]]
	export SSH_AUTH_SOCK=$BSSH_TMP/agent.sock
	ssh-add -q "$FX_KEY" </dev/null 3>&-
	ssh-add -l >/dev/null
}

# notty CMD...: CMD in a new session (no controlling terminal), stdin
# /dev/null, bounded so that a hang fails the test instead of blocking it.
notty() {
	setsid -w timeout -k 5 60 "$@" </dev/null
}

@test "an unauthorized key alone: 255, permission denied, an auth error event" {
	run bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" -o IdentitiesOnly=yes \
		-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
	run bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" -o IdentitiesOnly=yes \
		-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
		--status-fd 3 127.0.0.1 echo never 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_line_count 3
	assert_output_contains '"event":"connected"'
	assert_line_equals 2 "{\"event\":\"error\",\"kind\":\"auth\",\"message\":\"$DENIED\"}"
}

@test "the right key among wrong ones is found" {
	run bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" -i "$FX_KEY" -o IdentitiesOnly=yes \
		--status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st"
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"publickey"}'
	# A missing file among them is skipped, too.
	run bssh-exec "${HKOPTS[@]}" -i "$BSSH_TMP/no-such-key" -i "$FX_KEY_OTHER" -i "$FX_KEY" \
		-o IdentitiesOnly=yes 127.0.0.2 echo ok
	assert_success
	assert_output_equals ok
}

@test "an encrypted key without a terminal or a secrets record fails at once" {
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes -v \
		127.0.0.1 echo never
	assert_status 255
	assert_output_contains "bssh-exec: debug1: identity $FX_KEY_ENC: no or wrong passphrase"
	assert_output_contains "bssh-exec: $DENIED"
	assert_output_not_contains "Enter passphrase"
	assert_output_not_contains never
	# BatchMode=yes: the same, terminal or not.
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes \
		-o BatchMode=yes 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
}

@test "the secrets record gives an encrypted key's passphrase" {
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes \
		--secrets-fd 4 --status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st" \
		4< <(printf 'passphrase\0%s\0%s\0' "$FX_KEY_ENC" "$FX_KEY_PASSPHRASE")
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"publickey"}'
}

@test "a passphrase is matched to the identity file after ~/ expansion" {
	cp "$FX_KEY_ENC" "$HOME/.ssh/id_enc"
	cp "$FX_KEY_ENC.pub" "$HOME/.ssh/id_enc.pub"
	chmod 600 "$HOME/.ssh/id_enc"
	# shellcheck disable=SC2088
	run notty bssh-exec "${HKOPTS[@]}" -i '~/.ssh/id_enc' -o IdentitiesOnly=yes \
		--secrets-fd 4 127.0.0.1 echo ok \
		4< <(printf 'passphrase\0%s\0%s\0' "$HOME/.ssh/id_enc" "$FX_KEY_PASSPHRASE")
	assert_success
	assert_output_equals ok
}

@test "a wrong passphrase, or one for another path, fails" {
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes -v \
		--secrets-fd 4 127.0.0.1 echo never \
		4< <(printf 'passphrase\0%s\0%s\0' "$FX_KEY_ENC" "not-the-passphrase")
	assert_status 255
	assert_output_contains "identity $FX_KEY_ENC: no or wrong passphrase"
	assert_output_contains "bssh-exec: $DENIED"
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes \
		--secrets-fd 4 127.0.0.1 echo never \
		4< <(printf 'passphrase\0%s\0%s\0' "$FX_KEY_OTHER" "$FX_KEY_PASSPHRASE")
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
}

@test "default identity files are used without -i; IdentityFile=none turns them off" {
	cp "$FX_KEY" "$HOME/.ssh/id_ed25519"
	chmod 600 "$HOME/.ssh/id_ed25519"
	run notty bssh-exec "${HKOPTS[@]}" --status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st"
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"publickey"}'
	# Also after the given files, unless IdentitiesOnly=yes.
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" -o IdentitiesOnly=yes 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
	run notty bssh-exec "${HKOPTS[@]}" -o IdentityFile=none 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
}

@test "password authentication with BSSH_PASSWORD (root only)" {
	need_password
	BSSH_PASSWORD=$FX_PASSWORD run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no \
		--status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st"
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"password"}'
	# --password takes it from BSSH_PASSWORD too, without asking.
	BSSH_PASSWORD=$FX_PASSWORD run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no \
		--password 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
}

@test "a wrong BSSH_PASSWORD is refused (root only)" {
	need_password
	BSSH_PASSWORD=wrong-pw-4711 run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no \
		--status-fd 3 127.0.0.1 echo never 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_output_contains "{\"event\":\"error\",\"kind\":\"auth\",\"message\":\"$DENIED\"}"
	BSSH_PASSWORD=wrong-pw-4711 run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no \
		127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
}

@test "the secrets record gives the password, and beats BSSH_PASSWORD (root only)" {
	need_password
	run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no --secrets-fd 4 \
		--status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st" \
		4< <(printf 'password\0%s\0' "$FX_PASSWORD")
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"password"}'
	BSSH_PASSWORD=wrong-pw-4711 run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no \
		--secrets-fd 4 127.0.0.1 echo ok 4< <(printf 'password\0%s\0' "$FX_PASSWORD")
	assert_success
	assert_output_equals ok
	# A later password field replaces an earlier one.
	run notty bssh-exec "${HKOPTS[@]}" -o PubkeyAuthentication=no --secrets-fd 4 \
		127.0.0.1 echo ok 4< <(printf 'password\0wrong-pw-4711\0password\0%s\0' "$FX_PASSWORD")
	assert_success
	assert_output_equals ok
}

@test "--password with no terminal and no BSSH_PASSWORD fails before connecting" {
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" --password --status-fd 3 \
		127.0.0.1 echo never 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals "bssh-exec: --password: no terminal to ask on (set BSSH_PASSWORD)"
	run cat "$BSSH_TMP/st"
	assert_output_equals '{"event":"hello","program":"bssh-exec","version":1}'
}

@test "the secrets record is validated: unknown field, truncated, over 16 KiB" {
	printf 'bogus\0x\0' >"$BSSH_TMP/unknown"
	printf 'password\0no-final-nul' >"$BSSH_TMP/truncated"
	printf 'passphrase\0%s\0' "$FX_KEY_ENC" >"$BSSH_TMP/short"
	head -c 20000 /dev/zero | tr '\0' a >"$BSSH_TMP/big"
	head -c 16384 /dev/zero | tr '\0' a >"$BSSH_TMP/exact"
	{
		printf 'password\0'
		head -c 16373 /dev/zero | tr '\0' a
		printf '\0'
	} >"$BSSH_TMP/exact2"
	[ "$(wc -c <"$BSSH_TMP/exact2")" -eq 16383 ]
	for spec in unknown:"secrets: unknown record" truncated:"secrets: truncated record" \
		short:"secrets: truncated record" big:"secrets: more than 16384 bytes" \
		exact:"secrets: truncated record" exact2:"secrets: record too long"; do
		f=${spec%%:*}
		want=${spec#*:}
		echo "# $f"
		run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" -o IdentitiesOnly=yes \
			--secrets-fd 4 --status-fd 3 127.0.0.1 echo never 4<"$BSSH_TMP/$f" 3>"$BSSH_TMP/st"
		assert_status 255
		assert_output_equals "bssh-exec: $want"
		# Refused before connecting: nothing after hello.
		run cat "$BSSH_TMP/st"
		assert_output_equals '{"event":"hello","program":"bssh-exec","version":1}'
	done
	# An empty record is valid: nothing given.
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" -o IdentitiesOnly=yes \
		--secrets-fd 4 127.0.0.1 echo ok 4</dev/null
	assert_success
	assert_output_equals ok
}

# A record ending in an unterminated field name must be refused cleanly,
# without reading past the record (valgrind checks it when installed).
@test "a record ending in an unterminated field name is truncated, and read no further" {
	local r
	for r in password passphrase; do
		echo "# $r"
		printf '%s' "$r" >"$BSSH_TMP/rec"
		run notty bssh-exec "${HKOPTS[@]}" --secrets-fd 4 127.0.0.1 true 4<"$BSSH_TMP/rec"
		assert_status 255
		assert_output_equals "bssh-exec: secrets: truncated record"
	done
	command -v valgrind >/dev/null || skip "valgrind not installed"
	[ -z "${BSSH_SANITIZED:-}" ] || skip "an ASan build cannot run under valgrind (ASan checks it)"
	for r in password passphrase; do
		echo "# valgrind $r"
		printf '%s' "$r" >"$BSSH_TMP/rec"
		run notty valgrind -q --error-exitcode=99 bssh-exec "${HKOPTS[@]}" --secrets-fd 4 \
			127.0.0.1 true 4<"$BSSH_TMP/rec"
		assert_status 255
		assert_output_equals "bssh-exec: secrets: truncated record"
	done
}

@test "PreferredAuthentications=password with no password available: denied at once, no prompt" {
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" -o PreferredAuthentications=password \
		--status-fd 3 127.0.0.1 echo never 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_output_contains "{\"event\":\"error\",\"kind\":\"auth\",\"message\":\"$DENIED\"}"
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" -o PreferredAuthentications=password \
		127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
	assert_output_not_contains "password:"
	# The key is fine: publickey in the list makes it work.
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY" \
		-o PreferredAuthentications=password,publickey 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
}

@test "-A without an agent: permission denied, identity files are not used" {
	[ -z "${SSH_AUTH_SOCK:-}" ]
	cp "$FX_KEY" "$HOME/.ssh/id_ed25519"
	chmod 600 "$HOME/.ssh/id_ed25519"
	run notty bssh-exec "${HKOPTS[@]}" -A -i "$FX_KEY" --status-fd 3 127.0.0.1 echo never \
		3>"$BSSH_TMP/st"
	assert_status 255
	run cat "$BSSH_TMP/st"
	assert_output_contains "{\"event\":\"error\",\"kind\":\"auth\",\"message\":\"$DENIED\"}"
	# An agent socket that does not exist is no better.
	SSH_AUTH_SOCK=$BSSH_TMP/no-agent.sock run notty bssh-exec "${HKOPTS[@]}" -A 127.0.0.1 echo never
	assert_status 255
	assert_output_contains "$DENIED"
}

@test "-A with a running agent authenticates without -i" {
	start_agent
	run notty bssh-exec "${HKOPTS[@]}" -A --status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st"
	assert_success
	assert_output_equals ok
	run cat "$BSSH_TMP/st"
	assert_output_contains '{"event":"authenticated","method":"publickey"}'
	# Without -A the agent is used as well, before (here: instead of) files.
	run notty bssh-exec "${HKOPTS[@]}" -o IdentityFile=none 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
	# IdentityAgent names the socket when SSH_AUTH_SOCK does not.
	SSH_AUTH_SOCK='' run notty bssh-exec "${HKOPTS[@]}" -A \
		-o IdentityAgent="$BSSH_TMP/agent.sock" 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
	# IdentityAgent=none disables it.
	run notty bssh-exec "${HKOPTS[@]}" -A -o IdentityAgent=none 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
}

@test "IdentitiesOnly=yes with only a wrong -i key does not use the agent" {
	start_agent
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" -o IdentitiesOnly=yes \
		127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: $DENIED"
	# Without IdentitiesOnly the agent's key gets in.
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_OTHER" 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
}

# grep_none SECRET FILE...: SECRET appears in none of FILE...
grep_none() {
	local secret=$1 f
	shift
	for f in "$@"; do
		if grep -aqF -- "$secret" "$f"; then
			echo "secret found in $f:" >&2
			cat "$f" >&2
			return 1
		fi
	done
}

@test "the passphrase appears in no output or status event" {
	local out=$BSSH_TMP/out err=$BSSH_TMP/err st=$BSSH_TMP/st
	notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes -vvv \
		-o LogLevel=DEBUG3 --secrets-fd 4 --status-fd 3 127.0.0.1 echo ok \
		>"$out" 2>"$err" 3>"$st" 4< <(printf 'passphrase\0%s\0%s\0' "$FX_KEY_ENC" "$FX_KEY_PASSPHRASE")
	[ "$(cat "$out")" = ok ]
	grep -q '"method":"publickey"' "$st"
	grep_none "$FX_KEY_PASSPHRASE" "$out" "$err" "$st"
	run notty bssh-exec "${HKOPTS[@]}" -i "$FX_KEY_ENC" -o IdentitiesOnly=yes -vvv \
		-o LogLevel=DEBUG3 --secrets-fd 4 --status-fd 3 127.0.0.1 echo never \
		3>"$st" 4< <(printf 'passphrase\0%s\0%s\0' "$FX_KEY_ENC" "wrong-phrase-0815")
	assert_status 255
	[ -n "$output" ]
	assert_output_not_contains "wrong-phrase-0815"
	grep_none "wrong-phrase-0815" "$st"
}

@test "the password appears in no output or status event (root only)" {
	need_password
	local out=$BSSH_TMP/out err=$BSSH_TMP/err st=$BSSH_TMP/st
	local -a v=(-vvv -o LogLevel=DEBUG3 -o PubkeyAuthentication=no)
	# From the environment, accepted.
	BSSH_PASSWORD=$FX_PASSWORD notty bssh-exec "${HKOPTS[@]}" "${v[@]}" --status-fd 3 \
		127.0.0.1 echo ok >"$out" 2>"$err" 3>"$st"
	[ "$(cat "$out")" = ok ]
	[ -s "$err" ]
	grep -q '"method":"password"' "$st"
	grep_none "$FX_PASSWORD" "$out" "$err" "$st"
	# From the secrets record, accepted.
	notty bssh-exec "${HKOPTS[@]}" "${v[@]}" --secrets-fd 4 --status-fd 3 127.0.0.1 echo ok \
		>"$out" 2>"$err" 3>"$st" 4< <(printf 'password\0%s\0' "$FX_PASSWORD")
	[ "$(cat "$out")" = ok ]
	grep_none "$FX_PASSWORD" "$out" "$err" "$st"
	# Refused ones are not echoed either.
	status=0
	BSSH_PASSWORD=wrong-pw-4711 notty bssh-exec "${HKOPTS[@]}" "${v[@]}" --status-fd 3 \
		127.0.0.1 echo never >"$out" 2>"$err" 3>"$st" || status=$?
	[ "$status" -eq 255 ]
	grep -q '"kind":"auth"' "$st"
	grep_none wrong-pw-4711 "$out" "$err" "$st"
	status=0
	notty bssh-exec "${HKOPTS[@]}" "${v[@]}" -o PreferredAuthentications=keyboard-interactive,password \
		--secrets-fd 4 --status-fd 3 127.0.0.1 echo never >"$out" 2>"$err" 3>"$st" \
		4< <(printf 'password\0wrong-pw-4711\0') || status=$?
	[ "$status" -eq 255 ]
	grep_none wrong-pw-4711 "$out" "$err" "$st"
}
