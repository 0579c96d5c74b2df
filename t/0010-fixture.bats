#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2086
# The test fixture itself (t/lib/sshd.bash, t/helpers), checked with OpenSSH's
# own ssh client only.

load lib/common
load lib/sshd

setup_file() {
	fx_start 20
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
}

# ssh with no config but the given options (so only the named key is offered).
plain_ssh() {
	ssh -F /dev/null -p "$FX_PORT" -l "$FX_USER" \
		-o UserKnownHostsFile="$FX_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -o LogLevel=ERROR -o ConnectTimeout=10 "$@"
}

@test "fixture exports its variables" {
	[[ -d $FX_DIR && $FX_DIR == /tmp/bssh-fx.* ]]
	[[ $FX_PORT =~ ^[0-9]+$ ]]
	((FX_PORT >= 20000 && FX_PORT <= 59999))
	[[ $FX_N == 20 ]]
	[[ $FX_HOSTS == "$(seq -s ' ' -f '127.0.0.%g' 1 20)" ]]
	local p n=0
	for p in $FX_PIDS; do
		kill -0 "$p"
		n=$((n + 1))
	done
	[[ $n == 2 ]] # ceil(20/16) sshd processes
	[[ -r $FX_KEY && -r $FX_KEY_ENC && -r $FX_KEY_OTHER && -r $FX_HOSTKEY_PUB ]]
	[[ -r $FX_KNOWN_HOSTS && -r $FX_SSH_CONFIG ]]
	[[ $FX_KEY_PASSPHRASE == fixture-pass ]]
	if ((EUID == 0)); then
		[[ $FX_USER == bsshtest && $FX_PASSWORD == fixture-secret-pw ]]
	else
		[[ $FX_USER == "$(id -un)" && -z $FX_PASSWORD ]]
	fi
	[[ $FX_USER != root ]]
	run wc -l <"$FX_KNOWN_HOSTS"
	assert_output_equals 40 # ed25519 + rsa for each of 20 hosts
}

@test "ssh to 127.0.0.1 and 127.0.0.20 logs in as FX_USER" {
	run fx_ssh 127.0.0.1 id -un </dev/null
	assert_success
	assert_output_equals "$FX_USER"
	run fx_ssh 127.0.0.20 id -un </dev/null
	assert_success
	assert_output_equals "$FX_USER"
}

@test "SSH_CONNECTION shows the destination address of every host" {
	local h
	for h in $FX_HOSTS; do
		run fx_ssh "$h" 'echo $SSH_CONNECTION' </dev/null
		assert_success
		read -r _ _ dst dport <<<"$output"
		if [[ $dst != "$h" || $dport != "$FX_PORT" ]]; then
			echo "host $h: SSH_CONNECTION=$output" >&2
			return 1
		fi
	done
}

@test "known_hosts verifies both host key types; a wrong one is refused" {
	run fx_ssh -o HostKeyAlgorithms=ssh-ed25519 -- 127.0.0.7 true </dev/null
	assert_success
	run fx_ssh -o HostKeyAlgorithms=rsa-sha2-512 -- 127.0.0.18 true </dev/null
	assert_success
	[[ $(fx_hostkey_line 127.0.0.3) == "$(grep -F '[127.0.0.3]:' "$FX_KNOWN_HOSTS" | grep ssh-ed25519)" ]]
	[[ $(fx_hostkey_line 127.0.0.3 rsa) == "$(grep -F '[127.0.0.3]:' "$FX_KNOWN_HOSTS" | grep ssh-rsa)" ]]
	# Only 127.0.0.4's key listed: 127.0.0.5 is unknown -> refused.
	fx_hostkey_line 127.0.0.4 >"$BSSH_TMP/kh"
	run fx_ssh -o UserKnownHostsFile="$BSSH_TMP/kh" -- 127.0.0.4 true </dev/null
	assert_success
	run fx_ssh -o UserKnownHostsFile="$BSSH_TMP/kh" -- 127.0.0.5 true </dev/null
	assert_failure
	assert_output_contains "Host key verification failed"
}

@test "the encrypted key is encrypted and authorized" {
	run ssh-keygen -y -P '' -f "$FX_KEY_ENC"
	assert_failure
	run ssh-keygen -y -P "$FX_KEY_PASSPHRASE" -f "$FX_KEY_ENC"
	assert_success
	read -r ktype kb64 _ <<<"$output"
	grep -qF "$ktype $kb64" "$FX_DIR/authorized_keys"
	# And a real login with it, the passphrase given through SSH_ASKPASS.
	printf '#!/bin/sh\necho %s\n' "$FX_KEY_PASSPHRASE" >"$BSSH_TMP/askpass"
	chmod 755 "$BSSH_TMP/askpass"
	run env SSH_ASKPASS="$BSSH_TMP/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
		ssh -F /dev/null -p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY_ENC" \
		-o IdentitiesOnly=yes -o PreferredAuthentications=publickey -o BatchMode=no \
		-o UserKnownHostsFile="$FX_KNOWN_HOSTS" -o StrictHostKeyChecking=yes \
		-o LogLevel=ERROR 127.0.0.2 id -un </dev/null
	assert_success
	assert_output_equals "$FX_USER"
}

@test "the unencrypted user key logs in on its own" {
	run plain_ssh -o BatchMode=yes -o IdentitiesOnly=yes -i "$FX_KEY" 127.0.0.9 id -un </dev/null
	assert_success
	assert_output_equals "$FX_USER"
}

@test "id_other is refused" {
	run plain_ssh -o BatchMode=yes -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
		-i "$FX_KEY_OTHER" 127.0.0.9 id -un </dev/null
	assert_failure
	assert_status 255
	assert_output_contains "Permission denied"
}

@test "password authentication works as root, is off otherwise" {
	printf '#!/bin/sh\necho %s\n' "${FX_PASSWORD:-none}" >"$BSSH_TMP/askpass"
	chmod 755 "$BSSH_TMP/askpass"
	export SSH_ASKPASS="$BSSH_TMP/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0
	run plain_ssh -o BatchMode=no -o PreferredAuthentications=password \
		-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 127.0.0.11 id -un </dev/null
	if ((EUID == 0)); then
		assert_success
		assert_output_equals "$FX_USER"
	else
		assert_failure
	fi
}

@test "AcceptEnv passes BSSH_TEST_* and sftp works" {
	run fx_ssh -o SetEnv=BSSH_TEST_FX=hello -- 127.0.0.12 'echo "v=$BSSH_TEST_FX"' </dev/null
	assert_success
	assert_output_equals "v=hello"
	run sftp -q -F "$FX_SSH_CONFIG" -b - 127.0.0.13 <<<"ls $FX_DIR"
	assert_success
	assert_output_contains authorized_keys
}

@test "fx_wait_port succeeds on a live port and gives up on a dead one" {
	run fx_wait_port 127.0.0.19 "$FX_PORT" 2
	assert_success
	run fx_wait_port 127.0.0.21 "$FX_PORT" 1
	assert_failure
	assert_output_contains "not ready"
}

@test "tcpsink accepts and never speaks" {
	tcpsink -t 30 >"$BSSH_TMP/port" 2>"$BSSH_TMP/err" </dev/null 3>&- &
	local pid=$! port="" i
	for ((i = 0; i < 100; i++)); do
		[[ -s $BSSH_TMP/port ]] && read -r port <"$BSSH_TMP/port" && [[ -n $port ]] && break
		sleep 0.05
	done
	[[ $port =~ ^[0-9]+$ ]] || {
		kill "$pid"
		echo "no port from tcpsink: $(cat "$BSSH_TMP/err")" >&2
		return 1
	}
	exec {fd}<>"/dev/tcp/127.0.0.1/$port"
	local rc=0
	IFS= read -r -t 1 -N 1 _ <&"$fd" || rc=$?
	exec {fd}<&-
	kill "$pid"
	wait "$pid" || true
	# > 128: read timed out (0 would be a byte, 1 would be EOF)
	((rc > 128)) || {
		echo "read rc=$rc" >&2
		return 1
	}
}

@test "tcpsink exits by itself" {
	run timeout 10 tcpsink -t 1 </dev/null
	assert_success
	[[ $output =~ ^[0-9]+$ ]]
}

@test "fdlist prints exactly the open descriptors" {
	# Close everything above 2 that bats (or anyone) left open, then exec.
	run bash -c 'for f in /proc/$$/fd/*; do f=${f##*/}; ((f > 2)) && eval "exec $f>&-"; done; exec fdlist' </dev/null
	assert_success
	assert_output_equals "0 1 2"
	run bash -c 'for f in /proc/$$/fd/*; do f=${f##*/}; ((f > 2)) && eval "exec $f>&-"; done; exec fdlist 5</dev/null 9>/dev/null' </dev/null
	assert_success
	assert_output_equals "0 1 2 5 9"
}

@test "fx_stop leaves no sshd of ours running and removes FX_DIR" {
	local tok="29.$((RANDOM % 900 + 100))$$"
	(
		unset FX_PIDS FX_DIR
		fx_start 18 || exit 1
		echo "$FX_PIDS" >"$BSSH_TMP/pids"
		echo "$FX_DIR" >"$BSSH_TMP/dir"
		echo "$FX_PORT" >"$BSSH_TMP/fxport"
		# A session that would outlive its client if fx_stop did not
		# clean up the sshd's descendants too.
		timeout 20 ssh -F "$FX_SSH_CONFIG" -f 127.0.0.17 "exec sleep $tok" \
			</dev/null >/dev/null 2>"$BSSH_TMP/ssh.err" 3>&-
		for ((i = 0; i < 50; i++)); do
			pgrep -f "^sleep $tok\$" >/dev/null && break
			sleep 0.1
		done
		pgrep -f "^sleep $tok\$" >/dev/null || {
			echo "remote sleep never started: $(cat "$BSSH_TMP/ssh.err")" >&2
			fx_stop
			exit 1
		}
		fx_stop
		fx_stop # twice is fine
	)
	local pids dir port p i
	pids=$(cat "$BSSH_TMP/pids")
	dir=$(cat "$BSSH_TMP/dir")
	port=$(cat "$BSSH_TMP/fxport")
	[[ -n $pids && -n $dir ]]
	for p in $pids; do
		if _fx_alive "$p"; then
			echo "sshd $p still running" >&2
			return 1
		fi
	done
	[[ ! -e $dir ]]
	# The ssh -f client notices the closed connection and exits; nothing
	# mentioning the fixture dir and no remote sleep may remain.
	for ((i = 0; i < 50; i++)); do
		pgrep -f -- "$dir" >/dev/null || pgrep -f "^sleep $tok\$" >/dev/null || break
		sleep 0.1
	done
	run pgrep -a -f -- "$dir|^sleep $tok\$"
	if ((status == 0)); then
		local leftover
		leftover=$(pgrep -f "^sleep $tok\$") || true
		[[ -z $leftover ]] || kill $leftover || true
		echo "left behind: $output" >&2
		return 1
	fi
	run fx_wait_port 127.0.0.1 "$port" 0
	assert_failure
	run fx_wait_port 127.0.0.17 "$port" 0
	assert_failure
}

@test "fx_stop is safe when nothing was started" {
	run bash -c 'set -u; source "$1"; fx_stop; fx_stop; echo ok' _ "$BATS_TEST_DIRNAME/lib/sshd.bash"
	assert_success
	assert_output_equals ok
}
