#!/usr/bin/env bats
# bssh-exec host key checking against a real OpenSSH sshd: the verdicts of
# bssh-exec(1) HOST KEYS (known, unknown, changed, revoked, other type) under
# StrictHostKeyChecking yes / accept-new / no, recording (plain and hashed,
# compatible with OpenSSH's ssh-keygen), several known hosts files, status
# events, and many workers recording the same file at once.

load lib/common
load lib/sshd
load lib/client

setup_file() {
	# 50 addresses for the parallel tests; the others use the first few.
	fx_start 50
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	KH=$BSSH_TMP/known_hosts
	# Everything but the host key policy and the known hosts files.
	BASE=(-p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" -o IdentitiesOnly=yes)
	NOGLOBAL=(-o GlobalKnownHostsFile=none)
	FP=$(ssh-keygen -l -E sha256 -f "$FX_HOSTKEY_PUB" | awk '{ print $2 }')
	[[ $FP == SHA256:* ]]
	read -r HKTYPE HKB64 _ <"$FX_HOSTKEY_PUB"
	[[ $HKTYPE == ssh-ed25519 ]]
}

# shk FORM MODE: SHK=( the StrictHostKeyChecking option spelled as FORM )
shk() {
	case $1 in
	flag) SHK=(--strict-host-key-checking "$2") ;;
	opt) SHK=(-o "StrictHostKeyChecking=$2") ;;
	*) return 1 ;;
	esac
}

# name HOST: the known_hosts name bssh-exec looks up
name() {
	printf '[%s]:%s' "$1" "$FX_PORT"
}

# hk FILE HOST CMD...: bssh-exec with user known hosts FILE, the policy in
# SHK, no global file, stdout+stderr in $output.
hk() {
	local file=$1 host=$2
	shift 2
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$file" "${NOGLOBAL[@]}" \
		"${SHK[@]}" "$host" "$@"
}

# no_match ERE FILE: no line of FILE matches ERE
no_match() {
	if grep -qE -- "$1" "$2"; then
		echo "unexpected match for $1 in $2:" >&2
		grep -nE -- "$1" "$2" >&2
		return 1
	fi
}

# a different ed25519 key, as if the host had been reinstalled
fake_key() {
	ssh-keygen -q -t ed25519 -N '' -C fake -f "$BSSH_TMP/fake" </dev/null
	read -r FAKETYPE FAKEB64 _ <"$BSSH_TMP/fake.pub"
}

@test "a known key is accepted in every mode and either spelling; nothing is written" {
	cp "$FX_KNOWN_HOSTS" "$KH"
	for form in flag opt; do
		for mode in yes accept-new no; do
			echo "# $form $mode"
			shk "$form" "$mode"
			hk "$KH" 127.0.0.2 echo ok
			assert_success
			assert_output_equals ok
			cmp "$KH" "$FX_KNOWN_HOSTS"
		done
	done
}

@test "unknown host under yes: 255, the name, key type and fingerprint; the file is untouched" {
	for form in flag opt; do
		echo "# $form"
		shk "$form" yes
		: >"$KH"
		hk "$KH" 127.0.0.1 echo never
		assert_status 255
		assert_output_equals "bssh-exec: no host key is known for $(name 127.0.0.1) ($HKTYPE $FP) and StrictHostKeyChecking is yes"
		[ ! -s "$KH" ]
		# A missing file is not created either.
		hk "$BSSH_TMP/missing/known_hosts" 127.0.0.1 echo never
		assert_status 255
		assert_output_contains "no host key is known for $(name 127.0.0.1)"
		[ ! -e "$BSSH_TMP/missing" ]
	done
}

@test "unknown host under accept-new: connects and records exactly one well-formed line, once" {
	for form in flag opt; do
		echo "# $form"
		shk "$form" accept-new
		: >"$KH"
		hk "$KH" 127.0.0.3 echo ok
		assert_success
		assert_output_equals ok
		[ "$(cat "$KH")" = "$(fx_hostkey_line 127.0.0.3)" ]
		[ "$(wc -l <"$KH")" -eq 1 ]
		# OpenSSH reads it back.
		run ssh-keygen -F "$(name 127.0.0.3)" -f "$KH"
		assert_success
		assert_output_contains "found: line 1"
		# The second run finds it and adds nothing.
		hk "$KH" 127.0.0.3 echo again
		assert_success
		assert_output_equals again
		[ "$(cat "$KH")" = "$(fx_hostkey_line 127.0.0.3)" ]
		# And strict checking now accepts the recorded key.
		shk "$form" yes
		hk "$KH" 127.0.0.3 echo strict
		assert_success
		assert_output_equals strict
	done
}

@test "accept-new appends after a last line that has no newline" {
	printf '%s' "$(fx_hostkey_line 127.0.0.9)" >"$KH"
	shk flag accept-new
	hk "$KH" 127.0.0.4 echo ok
	assert_success
	[ "$(wc -l <"$KH")" -eq 2 ]
	[ "$(sed -n 1p "$KH")" = "$(fx_hostkey_line 127.0.0.9)" ]
	[ "$(sed -n 2p "$KH")" = "$(fx_hostkey_line 127.0.0.4)" ]
}

@test "unknown host under no: connects and records the key, as OpenSSH does" {
	for form in flag opt; do
		echo "# $form"
		shk "$form" no
		: >"$KH"
		hk "$KH" 127.0.0.5 echo ok
		assert_success
		assert_output_equals ok
		[ "$(cat "$KH")" = "$(fx_hostkey_line 127.0.0.5)" ]
		hk "$KH" 127.0.0.5 echo ok
		assert_success
		[ "$(wc -l <"$KH")" -eq 1 ]
	done
}

@test "UserKnownHostsFile=none: accept-new connects without recording, yes refuses" {
	shk flag accept-new
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile=none "${NOGLOBAL[@]}" "${SHK[@]}" \
		--status-fd 3 127.0.0.1 echo ok 3>"$BSSH_TMP/st"
	assert_success
	assert_output_equals ok
	no_match '"event":"hostkey"' "$BSSH_TMP/st"
	[ ! -e "$HOME/.ssh/known_hosts" ]
	shk flag yes
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile=none "${NOGLOBAL[@]}" "${SHK[@]}" \
		127.0.0.1 echo never
	assert_status 255
	assert_output_contains "no host key is known for $(name 127.0.0.1)"
}

@test "HashKnownHosts=yes: accept-new writes a |1|salt|hash line that ssh-keygen -F finds" {
	for form in flag opt; do
		echo "# $form"
		shk "$form" accept-new
		: >"$KH"
		hk "$KH" 127.0.0.6 -o HashKnownHosts=yes echo ok
		assert_success
		assert_output_equals ok
		[ "$(wc -l <"$KH")" -eq 1 ]
		line=$(cat "$KH")
		[[ $line =~ ^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=\ ssh-ed25519\ ([A-Za-z0-9+/=]+)$ ]]
		[ "${BASH_REMATCH[1]}" = "$HKB64" ]
		[[ $line != *127.0.0.6* ]]
		run ssh-keygen -F "$(name 127.0.0.6)" -f "$KH"
		assert_success
		assert_output_contains "found: line 1"
		run ssh-keygen -F "$(name 127.0.0.7)" -f "$KH"
		assert_output_not_contains "found"
		# A second run (hashed or not) accepts it without adding a line.
		hk "$KH" 127.0.0.6 -o HashKnownHosts=yes echo again
		assert_success
		hk "$KH" 127.0.0.6 echo again
		assert_success
		[ "$(cat "$KH")" = "$line" ]
		shk "$form" yes
		hk "$KH" 127.0.0.6 echo strict
		assert_success
		assert_output_equals strict
	done
}

@test "hashed entries written by OpenSSH's ssh-keygen -H are honoured under yes" {
	cp "$FX_KNOWN_HOSTS" "$KH"
	ssh-keygen -q -H -f "$KH" >/dev/null 2>&1
	no_match '127\.0\.0\.' "$KH"
	[ "$(grep -c '^|1|' "$KH")" -eq "$(wc -l <"$FX_KNOWN_HOSTS")" ]
	cp "$KH" "$BSSH_TMP/hashed.orig"
	for form in flag opt; do
		shk "$form" yes
		for h in 127.0.0.1 127.0.0.37 127.0.0.50; do
			echo "# $form $h"
			hk "$KH" "$h" echo "ok $h"
			assert_success
			assert_output_equals "ok $h"
		done
	done
	cmp "$KH" "$BSSH_TMP/hashed.orig"
}

@test "patterns with *, ? and ! match as in OpenSSH (same verdicts as ssh)" {
	local file host want
	printf '[127.0.0.*]:%s %s %s\n' "$FX_PORT" "$HKTYPE" "$HKB64" >"$BSSH_TMP/star"
	printf '[127.0.0.?]:%s %s %s\n' "$FX_PORT" "$HKTYPE" "$HKB64" >"$BSSH_TMP/qmark"
	# (no pattern matches a port-less name: ssh retries a new host without
	# the port, bssh-exec does not)
	printf 'x,[*]:%s,![127.0.0.2]:%s %s %s\n' "$FX_PORT" "$FX_PORT" "$HKTYPE" "$HKB64" >"$BSSH_TMP/neg"
	printf '[127.0.0.1]:1,[127.0.0.3]:%s %s %s\n' "$FX_PORT" "$HKTYPE" "$HKB64" >"$BSSH_TMP/list"
	shk flag yes
	for spec in star:127.0.0.1:0 star:127.0.0.12:0 qmark:127.0.0.3:0 qmark:127.0.0.13:255 \
		neg:127.0.0.1:0 neg:127.0.0.2:255 list:127.0.0.3:0 list:127.0.0.1:255; do
		IFS=: read -r file host want <<<"$spec"
		echo "# $file $host"
		hk "$BSSH_TMP/$file" "$host" true
		assert_status "$want"
		run fx_ssh -o UserKnownHostsFile="$BSSH_TMP/$file" -- "$host" true
		[ "$status" -eq "$want" ]
	done
}

@test "a changed key: yes and accept-new refuse with the banner and the offending line" {
	fake_key
	{
		echo "# two unrelated lines first"
		fx_hostkey_line 127.0.0.9
		echo "$(name 127.0.0.1) $FAKETYPE $FAKEB64"
	} >"$KH"
	cp "$KH" "$BSSH_TMP/kh.orig"
	for form in flag opt; do
		for mode in yes accept-new; do
			echo "# $form $mode"
			shk "$form" "$mode"
			hk "$KH" 127.0.0.1 echo never
			assert_status 255
			assert_output_not_contains never
			assert_output_contains "REMOTE HOST IDENTIFICATION HAS CHANGED"
			assert_output_contains "The fingerprint for the ssh-ed25519 key sent by the remote host $(name 127.0.0.1) is"
			assert_output_contains "$FP"
			assert_output_contains "Offending ssh-ed25519 key in $KH:3"
			[ "${lines[${#lines[@]} - 1]}" = "bssh-exec: host key for $(name 127.0.0.1) has changed (offending ssh-ed25519 key in $KH:3)" ]
			cmp "$KH" "$BSSH_TMP/kh.orig"
		done
	done
}

@test "a changed key under no: a warning, the connection goes on, nothing is recorded" {
	fake_key
	{
		echo "# two unrelated lines first"
		fx_hostkey_line 127.0.0.9
		echo "$(name 127.0.0.1) $FAKETYPE $FAKEB64"
	} >"$KH"
	cp "$KH" "$BSSH_TMP/kh.orig"
	for form in flag opt; do
		echo "# $form"
		shk "$form" no
		hk "$KH" 127.0.0.1 echo ok
		assert_success
		assert_output_contains "REMOTE HOST IDENTIFICATION HAS CHANGED"
		assert_output_contains "Offending ssh-ed25519 key in $KH:3"
		assert_output_contains "bssh-exec: warning: host key for $(name 127.0.0.1) has changed; continuing because StrictHostKeyChecking is no"
		[ "${lines[${#lines[@]} - 1]}" = ok ]
		cmp "$KH" "$BSSH_TMP/kh.orig"
	done
}

# As OpenSSH (sshconnect.c, HOST_CHANGED with StrictHostKeyChecking=no):
# after a changed host key, password and keyboard-interactive are turned
# off, so a secret is never sent to a host that may be an impostor.
# Root only: the fixture has no password otherwise.
@test "a changed key under no: the password is not sent to the host (as OpenSSH)" {
	[[ -n $FX_PASSWORD ]] || skip "the fixture offers password authentication only as root"
	fake_key
	echo "$(name 127.0.0.1) $FAKETYPE $FAKEB64" >"$KH"
	BSSH_PASSWORD=$FX_PASSWORD run bssh-exec -p "$FX_PORT" -l "$FX_USER" \
		-o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" -o PubkeyAuthentication=no \
		-o StrictHostKeyChecking=no --status-fd 3 127.0.0.1 echo never 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_not_contains never
	run cat "$BSSH_TMP/st"
	assert_output_not_contains '"event":"authenticated"'
	assert_output_contains '"kind":"auth"'
}

@test "@revoked: the fixture's real key is refused in every mode, with file and line" {
	{
		echo "@revoked * $HKTYPE $HKB64"
		fx_hostkey_line 127.0.0.1
	} >"$KH"
	{
		fx_hostkey_line 127.0.0.1
		echo "@revoked [127.0.0.1]:$FX_PORT $HKTYPE $HKB64"
	} >"$BSSH_TMP/kh2"
	for form in flag opt; do
		for mode in yes accept-new no; do
			echo "# $form $mode"
			shk "$form" "$mode"
			hk "$KH" 127.0.0.1 echo never
			assert_status 255
			assert_output_equals "bssh-exec: host key for $(name 127.0.0.1) is revoked ($KH:1)"
			# The marker wins wherever it is.
			hk "$BSSH_TMP/kh2" 127.0.0.1 echo never
			assert_status 255
			assert_output_equals "bssh-exec: host key for $(name 127.0.0.1) is revoked ($BSSH_TMP/kh2:2)"
		done
	done
	# A @revoked line in a global file beats a known line in the user file.
	echo "@revoked * $HKTYPE $HKB64" >"$BSSH_TMP/global"
	fx_hostkey_line 127.0.0.1 >"$BSSH_TMP/user"
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/user" \
		-o GlobalKnownHostsFile="$BSSH_TMP/global" -o StrictHostKeyChecking=no 127.0.0.1 echo never
	assert_status 255
	assert_output_equals "bssh-exec: host key for $(name 127.0.0.1) is revoked ($BSSH_TMP/global:1)"
}

@test "a host known only with another key type: yes and accept-new refuse" {
	fx_hostkey_line 127.0.0.1 rsa >"$KH"
	cp "$KH" "$BSSH_TMP/kh.orig"
	for form in flag opt; do
		for mode in yes accept-new; do
			echo "# $form $mode"
			shk "$form" "$mode"
			hk "$KH" 127.0.0.1 -o HostKeyAlgorithms=ssh-ed25519 echo never
			assert_status 255
			assert_output_equals "bssh-exec: host key for $(name 127.0.0.1) is known as ssh-rsa ($KH:1), the server offered ssh-ed25519 $FP"
			cmp "$KH" "$BSSH_TMP/kh.orig"
		done
	done
	# Without the restriction the known rsa key is negotiated and accepted.
	shk flag yes
	hk "$KH" 127.0.0.1 echo ok
	assert_success
	assert_output_equals ok
}

# Under no, a host known only with another key type gets the new key
# recorded (knownhosts_add with KH_ADD_OTHER), as bssh-exec(1) HOST KEYS says.
@test "a host known only with another key type: no accepts and records the new key" {
	fx_hostkey_line 127.0.0.1 rsa >"$KH"
	for form in flag opt; do
		echo "# $form"
		shk "$form" no
		hk "$KH" 127.0.0.1 -o HostKeyAlgorithms=ssh-ed25519 echo ok
		assert_success
		assert_output_equals ok
		[ "$(sed -n 1p "$KH")" = "$(fx_hostkey_line 127.0.0.1 rsa)" ]
		[ "$(sed -n 2p "$KH")" = "$(fx_hostkey_line 127.0.0.1)" ]
		[ "$(wc -l <"$KH")" -eq 2 ]
	done
}

@test "repeated UserKnownHostsFile options accumulate: the key is found in any of them" {
	fx_hostkey_line 127.0.0.9 >"$BSSH_TMP/a"
	cp "$FX_KNOWN_HOSTS" "$BSSH_TMP/b"
	cp "$BSSH_TMP/a" "$BSSH_TMP/a.orig"
	for mode in yes accept-new; do
		echo "# $mode"
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/a" \
			-o UserKnownHostsFile="$BSSH_TMP/b" "${NOGLOBAL[@]}" \
			--strict-host-key-checking "$mode" --status-fd 3 127.0.0.2 echo ok 3>"$BSSH_TMP/st"
		assert_success
		assert_output_equals ok
		no_match '"event":"hostkey"' "$BSSH_TMP/st"
		cmp "$BSSH_TMP/a" "$BSSH_TMP/a.orig"
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/b" \
			-o UserKnownHostsFile="$BSSH_TMP/a" "${NOGLOBAL[@]}" \
			--strict-host-key-checking "$mode" 127.0.0.2 echo ok
		assert_success
		assert_output_equals ok
	done
	cmp "$BSSH_TMP/b" "$FX_KNOWN_HOSTS"
	# New keys go to the first file only.
	: >"$BSSH_TMP/c"
	: >"$BSSH_TMP/d"
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/c" \
		-o UserKnownHostsFile="$BSSH_TMP/d" "${NOGLOBAL[@]}" \
		--strict-host-key-checking accept-new 127.0.0.2 echo ok
	assert_success
	[ "$(cat "$BSSH_TMP/c")" = "$(fx_hostkey_line 127.0.0.2)" ]
	[ ! -s "$BSSH_TMP/d" ]
}

@test "GlobalKnownHostsFile holding the key: found under yes, nothing recorded under accept-new" {
	: >"$KH"
	: >"$BSSH_TMP/g1"
	cp "$FX_KNOWN_HOSTS" "$BSSH_TMP/g2"
	for mode in yes accept-new no; do
		echo "# $mode"
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" \
			-o GlobalKnownHostsFile="$BSSH_TMP/g2" --strict-host-key-checking "$mode" \
			127.0.0.3 echo ok
		assert_success
		assert_output_equals ok
		[ ! -s "$KH" ]
		# Several global files accumulate too.
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" \
			-o GlobalKnownHostsFile="$BSSH_TMP/g1" -o GlobalKnownHostsFile="$BSSH_TMP/g2" \
			--strict-host-key-checking "$mode" 127.0.0.3 echo ok
		assert_success
		assert_output_equals ok
		[ ! -s "$KH" ]
	done
	cmp "$BSSH_TMP/g2" "$FX_KNOWN_HOSTS"
	[ ! -s "$BSSH_TMP/g1" ]
}

@test "--status-fd: a recorded key gives a hostkey added event" {
	for mode in accept-new no; do
		echo "# $mode"
		: >"$KH"
		shk opt "$mode"
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" "${SHK[@]}" \
			--status-fd 3 127.0.0.8 'exit 0' 3>"$BSSH_TMP/st"
		assert_success
		assert_output_equals ""
		run cat "$BSSH_TMP/st"
		assert_line_equals 0 '{"event":"hello","program":"bssh-exec","version":1}'
		assert_output_contains '"event":"connected"'
		assert_line_equals 2 "{\"event\":\"hostkey\",\"action\":\"added\",\"file\":\"$KH\",\"fingerprint\":\"$FP\"}"
		assert_output_contains '{"event":"exit","status":0}'
		# Known now: no event the second time.
		run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" "${SHK[@]}" \
			--status-fd 3 127.0.0.8 'exit 0' 3>"$BSSH_TMP/st"
		assert_success
		run cat "$BSSH_TMP/st"
		assert_output_not_contains '"event":"hostkey"'
	done
}

@test "--status-fd: a refused key is one error event of kind hostkey, and stderr stays clean" {
	fake_key
	echo "$(name 127.0.0.1) $FAKETYPE $FAKEB64" >"$BSSH_TMP/changed"
	echo "@revoked * $HKTYPE $HKB64" >"$BSSH_TMP/revoked"
	: >"$KH"

	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" \
		--strict-host-key-checking yes --status-fd 3 127.0.0.1 true 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_line_count 3
	assert_line_equals 2 "{\"event\":\"error\",\"kind\":\"hostkey\",\"message\":\"no host key is known for $(name 127.0.0.1) ($HKTYPE $FP) and StrictHostKeyChecking is yes\"}"

	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/revoked" "${NOGLOBAL[@]}" \
		--strict-host-key-checking no --status-fd 3 127.0.0.1 true 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_line_count 3
	assert_line_equals 2 "{\"event\":\"error\",\"kind\":\"hostkey\",\"message\":\"host key for $(name 127.0.0.1) is revoked ($BSSH_TMP/revoked:1)\"}"

	# The changed-key banner is a warning and stays on stderr.
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$BSSH_TMP/changed" "${NOGLOBAL[@]}" \
		--strict-host-key-checking accept-new --status-fd 3 127.0.0.1 true 3>"$BSSH_TMP/st"
	assert_status 255
	assert_output_contains "REMOTE HOST IDENTIFICATION HAS CHANGED"
	assert_output_not_contains "bssh-exec: host key for"
	run cat "$BSSH_TMP/st"
	assert_line_count 3
	assert_line_equals 2 "{\"event\":\"error\",\"kind\":\"hostkey\",\"message\":\"host key for $(name 127.0.0.1) has changed (offending ssh-ed25519 key in $BSSH_TMP/changed:1)\"}"
}

# par_first_connect [OPTION...]: 50 bssh-exec at once, accept-new, one
# empty known_hosts file; every one must exit 0 and print its host.
par_first_connect() {
	local i pid failed=0
	local -a pids=()
	: >"$KH"
	for ((i = 1; i <= 50; i++)); do
		# shellcheck disable=SC2016
		bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" \
			--strict-host-key-checking accept-new "$@" --connect-timeout 60 \
			--status-fd 3 "127.0.0.$i" 'set -- $SSH_CONNECTION; echo "$3"' \
			</dev/null >"$BSSH_TMP/out.$i" 2>"$BSSH_TMP/err.$i" 3>"$BSSH_TMP/st.$i" &
		pids[i]=$!
	done
	for ((i = 1; i <= 50; i++)); do
		pid=${pids[i]}
		if ! wait "$pid"; then
			echo "127.0.0.$i failed: $(cat "$BSSH_TMP/err.$i" "$BSSH_TMP/st.$i")" >&2
			failed=$((failed + 1))
		fi
	done
	[ "$failed" -eq 0 ]
	for ((i = 1; i <= 50; i++)); do
		[ "$(cat "$BSSH_TMP/out.$i")" = "127.0.0.$i" ]
		# Each worker recorded its own host's key.
		grep -q '"event":"hostkey","action":"added"' "$BSSH_TMP/st.$i"
	done
}

@test "50 parallel first connections under accept-new: 50 well-formed lines, one per host" {
	par_first_connect
	[ "$(wc -l <"$KH")" -eq 50 ]
	# A file of whole lines: it ends with a newline, has no empty line.
	[ "$(tail -c 1 "$KH" | od -An -c | tr -d ' ')" = '\n' ]
	no_match '^$' "$KH"
	local -A seen=()
	local line x
	while IFS= read -r line; do
		[[ $line =~ ^\[127\.0\.0\.([0-9]+)\]:$FX_PORT\ ssh-ed25519\ ([A-Za-z0-9+/=]+)$ ]] || {
			echo "bad line: $line" >&2
			return 1
		}
		x=${BASH_REMATCH[1]}
		[ "${BASH_REMATCH[2]}" = "$HKB64" ]
		[ -z "${seen[$x]:-}" ] || {
			echo "duplicate: $line" >&2
			return 1
		}
		seen[$x]=1
		[ "$line" = "$(fx_hostkey_line "127.0.0.$x")" ]
	done <"$KH"
	for ((x = 1; x <= 50; x++)); do
		[ -n "${seen[$x]:-}" ] || {
			echo "missing 127.0.0.$x" >&2
			return 1
		}
	done
	[ "${#seen[@]}" -eq 50 ]
	# And strict checking accepts every one of them.
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" \
		--strict-host-key-checking yes 127.0.0.50 echo ok
	assert_success
}

@test "50 parallel first connections with HashKnownHosts=yes: 50 hashed lines ssh-keygen -F finds" {
	par_first_connect -o HashKnownHosts=yes
	[ "$(wc -l <"$KH")" -eq 50 ]
	[ "$(tail -c 1 "$KH" | od -An -c | tr -d ' ')" = '\n' ]
	local line x n
	local -A lineof=()
	while IFS= read -r line; do
		[[ $line =~ ^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=\ ssh-ed25519\ ([A-Za-z0-9+/=]+)$ ]] || {
			echo "bad line: $line" >&2
			return 1
		}
		[ "${BASH_REMATCH[1]}" = "$HKB64" ]
	done <"$KH"
	for ((x = 1; x <= 50; x++)); do
		run ssh-keygen -F "$(name "127.0.0.$x")" -f "$KH"
		assert_success
		n=$(grep -c 'found: line' <<<"$output")
		[ "$n" -eq 1 ] || {
			echo "127.0.0.$x found $n times" >&2
			return 1
		}
		[[ $output =~ found:\ line\ ([0-9]+) ]]
		lineof[${BASH_REMATCH[1]}]=$x
	done
	# 50 hosts on 50 different lines.
	[ "${#lineof[@]}" -eq 50 ]
	run bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" \
		--strict-host-key-checking yes 127.0.0.25 echo ok
	assert_success
}

@test "20 parallel first connections to the same host: one line, one added event, plain and hashed" {
	local i pid failed hash added
	local -a pids
	for hash in no yes; do
		echo "# HashKnownHosts=$hash"
		: >"$KH"
		pids=()
		failed=0
		for ((i = 1; i <= 20; i++)); do
			bssh-exec "${BASE[@]}" -o UserKnownHostsFile="$KH" "${NOGLOBAL[@]}" \
				-o HashKnownHosts="$hash" --strict-host-key-checking accept-new \
				--connect-timeout 60 --status-fd 3 127.0.0.7 echo ok \
				</dev/null >"$BSSH_TMP/out.$i" 2>"$BSSH_TMP/err.$i" 3>"$BSSH_TMP/st.$i" &
			pids[i]=$!
		done
		for ((i = 1; i <= 20; i++)); do
			pid=${pids[i]}
			if ! wait "$pid"; then
				echo "worker $i failed: $(cat "$BSSH_TMP/err.$i" "$BSSH_TMP/st.$i")" >&2
				failed=$((failed + 1))
			fi
			[ "$(cat "$BSSH_TMP/out.$i")" = ok ]
		done
		[ "$failed" -eq 0 ]
		[ "$(wc -l <"$KH")" -eq 1 ]
		run ssh-keygen -F "$(name 127.0.0.7)" -f "$KH"
		assert_output_contains "found: line 1"
		if [[ $hash == no ]]; then
			[ "$(cat "$KH")" = "$(fx_hostkey_line 127.0.0.7)" ]
		fi
		# Only the worker that wrote the line reports it.
		added=$(cat "$BSSH_TMP"/st.* | grep -c '"event":"hostkey","action":"added"')
		[ "$added" -eq 1 ]
	done
}

@test "accept-new creates a missing known_hosts directory with mode 700 and the file with 600" {
	for mask in 022 077 000; do
		echo "# umask $mask"
		rm -rf "$BSSH_TMP/newdir"
		run bash -c 'umask "$1"; shift; exec "$@"' _ "$mask" bssh-exec "${BASE[@]}" \
			-o UserKnownHostsFile="$BSSH_TMP/newdir/known_hosts" "${NOGLOBAL[@]}" \
			--strict-host-key-checking accept-new 127.0.0.4 echo ok
		assert_success
		assert_output_equals ok
		[ "$(stat -c %a "$BSSH_TMP/newdir")" = 700 ]
		[ "$(stat -c %a "$BSSH_TMP/newdir/known_hosts")" = 600 ]
		[ "$(cat "$BSSH_TMP/newdir/known_hosts")" = "$(fx_hostkey_line 127.0.0.4)" ]
	done
	# The default file: ~/.ssh/known_hosts (bssh_setup made ~/.ssh).
	rm -rf "$HOME/.ssh"
	run bssh-exec "${BASE[@]}" "${NOGLOBAL[@]}" --strict-host-key-checking accept-new \
		127.0.0.4 echo ok
	assert_success
	[ "$(stat -c %a "$HOME/.ssh")" = 700 ]
	[ "$(stat -c %a "$HOME/.ssh/known_hosts")" = 600 ]
	[ "$(cat "$HOME/.ssh/known_hosts")" = "$(fx_hostkey_line 127.0.0.4)" ]
}
