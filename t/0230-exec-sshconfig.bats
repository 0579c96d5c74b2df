#!/usr/bin/env bats
# bssh-exec and ssh_config: `bssh-exec -G' differential against OpenSSH's
# `ssh -G' over the corpus t/sshconfig/, then the resolved options used
# against the real sshd fixture.
#
# Corpus files: "#@ ARGS" lines are the invocations to compare (default
# "h"); "#@keys KEY..." adds keys to the compared set (the algorithm lists,
# whose defaults differ: ours are libssh's).  Both outputs are cut down to
# the keys bssh-exec supports (SUPPORTED below), with three normalisations
# on OpenSSH's side, each a documented divergence (bssh-exec(1)):
#   - "stricthostkeychecking ask" is accept-new here (no one to ask);
#   - ~ and %d are $HOME here, the password database's directory for ssh
#     (ssh uses $HOME only in Include), so that directory becomes $HOME;
#   - the default identity files differ, so ~/.ssh/id_* lines are dropped
#     on both sides.
# When ssh fails on a file, bssh-exec must fail too (and the reverse).

load lib/common
load lib/sshd
load lib/client

SRC=${BSSH_SRCDIR:-$BATS_TEST_DIRNAME/..}
CORPUS=$SRC/t/sshconfig
SUPPORTED='host|user|hostname|port|addressfamily|batchmode|compression|hashknownhosts'
SUPPORTED+='|identitiesonly|kbdinteractiveauthentication|passwordauthentication'
SUPPORTED+='|pubkeyauthentication|requesttty|stricthostkeychecking|connectionattempts'
SUPPORTED+='|numberofpasswordprompts|serveralivecountmax|serveraliveinterval|hostkeyalias'
SUPPORTED+='|identityagent|ignoreunknown|remotecommand|loglevel|preferredauthentications'
SUPPORTED+='|identityfile|globalknownhostsfile|userknownhostsfile|sendenv|setenv'
SUPPORTED+='|connecttimeout|proxycommand|proxyjump'

setup_file() {
	fx_start 2
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	client_opts
	mkdir -p "$HOME/.ssh/inc"
	cp -R "$CORPUS/inc/." "$HOME/.ssh/inc/"
	chmod -R go-w "$HOME/.ssh"
	PWHOME=$(getent passwd "$(id -un)" | cut -d: -f6)
	export BSSH_SYSTEM_SSH_CONFIG=none
}

# filter KEYS: the lines of stdin whose key is supported or in KEYS.
filter() {
	local re="^($SUPPORTED${1:+|${1// /|}}) "
	grep -E "$re" | grep -Ev '^identityfile ~/\.ssh/id_[a-z0-9_]+$' || true
}

# compare FILE ARGS...: ssh -G and bssh-exec -G agree on FILE for ARGS.
compare() {
	local file=$1 keys rc_ssh=0 rc_ours=0
	shift
	keys=$(sed -n 's/^#@keys //p' "$file")
	ssh -G -F "$file" "$@" </dev/null >"$BSSH_TMP/ssh.raw" 2>"$BSSH_TMP/ssh.err" || rc_ssh=$?
	bssh-exec -G -F "$file" "$@" </dev/null >"$BSSH_TMP/ours.raw" 2>"$BSSH_TMP/ours.err" ||
		rc_ours=$?
	if [[ $rc_ssh != 0 || $rc_ours != 0 ]]; then
		if [[ $rc_ssh == 0 || $rc_ours == 0 ]]; then
			echo "${file##*/} $*: ssh exit $rc_ssh, bssh-exec exit $rc_ours" >&2
			cat "$BSSH_TMP/ssh.err" "$BSSH_TMP/ours.err" >&2
			return 1
		fi
		return 0
	fi
	sed -e 's/^stricthostkeychecking ask$/stricthostkeychecking accept-new/' \
		-e "s#\\( \\)$PWHOME\\(/\\| \\|\$\\)#\\1$HOME\\2#g" "$BSSH_TMP/ssh.raw" | filter "$keys" >"$BSSH_TMP/ssh.out"
	filter "$keys" <"$BSSH_TMP/ours.raw" >"$BSSH_TMP/ours.out"
	if ! diff -u "$BSSH_TMP/ssh.out" "$BSSH_TMP/ours.out" >"$BSSH_TMP/diff"; then
		echo "${file##*/} $*: ssh -G (-) and bssh-exec -G (+) differ:" >&2
		cat "$BSSH_TMP/diff" >&2
		return 1
	fi
}

@test "the corpus holds at least 30 configurations" {
	n=$(ls "$CORPUS"/*.conf | wc -l)
	[ "$n" -ge 30 ]
}

@test "bssh-exec -G agrees with ssh -G on every corpus file and destination" {
	local file line failed=0 ncmp=0
	for file in "$CORPUS"/*.conf; do
		local -a runs=()
		while IFS= read -r line; do
			runs+=("$line")
		done < <(sed -n 's/^#@ //p' "$file")
		((${#runs[@]} > 0)) || runs=(h)
		for line in "${runs[@]}"; do
			# shellcheck disable=SC2086
			compare "$file" $line || failed=1
			ncmp=$((ncmp + 1))
		done
	done
	echo "# $ncmp comparisons" >&3
	[ "$failed" -eq 0 ]
}

@test "-G exits 0 without connecting and prints the supported keys" {
	run bssh-exec -G -F /dev/null -p 1 127.0.0.1
	assert_success
	assert_output_contains "hostname 127.0.0.1"
	assert_output_contains "port 1"
	assert_output_contains "kexalgorithms curve25519-sha256"
}

@test "algorithm lists: + - ^ are resolved against libssh's lists" {
	run bssh-exec -G -F /dev/null -o Ciphers=-chacha20* -o MACs=^hmac-sha1 \
		-o KexAlgorithms=+diffie-hellman-group14-sha1,sntrup761x25519-sha512 h
	assert_success
	assert_output_contains "ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"
	assert_output_contains "macs hmac-sha1,hmac-sha2-256-etm@openssh.com,"
	assert_output_contains ",diffie-hellman-group14-sha256,diffie-hellman-group14-sha1"$'\n'
	run bssh-exec -G -F /dev/null -o Ciphers=umac-nonsense h
	assert_status 255
	assert_output_contains "Ciphers umac-nonsense: bad algorithm list"
	run bssh-exec -G -F /dev/null -o MACs=umac-64@openssh.com h
	assert_status 255
	assert_output_contains "no algorithm that libssh supports"
}

@test "errors name the file and line; ssh's wording is not required" {
	cfg=$BSSH_TMP/bad
	printf 'Host *\n  Bogus yes\n' >"$cfg"
	run bssh-exec -F "$cfg" h true
	assert_status 255
	assert_output_equals "bssh-exec: $cfg:2: bogus: unsupported option"
	printf 'Host nomatch\n  Port 0\n' >"$cfg"
	run bssh-exec -F "$cfg" h true
	assert_status 255
	assert_output_contains "bssh-exec: $cfg:2: port 0: "
	printf 'Include %s/nothing-here/*.conf\nHost *\n  Port 7\n' "$BSSH_TMP" >"$cfg"
	run bssh-exec -G -F "$cfg" h
	assert_success
	assert_output_contains "port 7"
	run bssh-exec -F "$BSSH_TMP/missing.conf" h true
	assert_status 255
	assert_output_equals "bssh-exec: $BSSH_TMP/missing.conf: cannot open: No such file or directory"
	printf 'Match exec "sleep 10"\n  Port 8\n' >"$cfg"
	SECONDS=0
	run bssh-exec -G -F "$cfg" h
	assert_status 255
	assert_output_contains "$cfg:1: Match exec \"sleep 10\": killed after 5000 ms"
	[ "$SECONDS" -lt 9 ]
}

@test "the user file and the system file: first value wins, -F none reads nothing" {
	printf 'Host *\n  Port 3001\n' >"$HOME/.ssh/config"
	printf 'Host *\n  Port 3002\n  User sysuser\n' >"$BSSH_TMP/system"
	BSSH_SYSTEM_SSH_CONFIG=$BSSH_TMP/system run bssh-exec -G h
	assert_success
	assert_output_contains "port 3001"
	assert_output_contains "user sysuser"
	BSSH_SYSTEM_SSH_CONFIG=$BSSH_TMP/system run bssh-exec -G -F none h
	assert_success
	assert_output_contains "port 22"
	assert_output_not_contains "sysuser"
	chmod g+w "$HOME/.ssh/config"
	run bssh-exec -G h
	assert_status 255
	assert_output_contains "bad owner or permissions"
}

# cfg FILE: a config that reaches the fixture under the name "alias".
write_cfg() {
	cat >"$1" <<-EOF
		Host alias
		    HostName 127.0.0.2
		    Port $FX_PORT
		    User $FX_USER
		    IdentityFile $FX_KEY
		    IdentitiesOnly yes
		    UserKnownHostsFile $FX_KNOWN_HOSTS
		    GlobalKnownHostsFile none
		    StrictHostKeyChecking yes
		    BatchMode yes
	EOF
}

@test "-F cfg alias alone connects with HostName, Port, User, IdentityFile, known hosts" {
	write_cfg "$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" alias 'set -- $SSH_CONNECTION; echo "$(id -un) $3 $4"'
	assert_success
	assert_output_equals "$FX_USER 127.0.0.2 $FX_PORT"
}

@test "SendEnv and SetEnv reach the remote; a refused variable is skipped" {
	write_cfg "$BSSH_TMP/cfg"
	printf '    SendEnv BSSH_TEST_A* NOT_ACCEPTED\n    SetEnv BSSH_TEST_B="b 1" BSSH_TEST_C=c\n' \
		>>"$BSSH_TMP/cfg"
	BSSH_TEST_AX=ax NOT_ACCEPTED=no run bssh-exec -F "$BSSH_TMP/cfg" alias \
		'echo "$BSSH_TEST_AX|$BSSH_TEST_B|$BSSH_TEST_C|${NOT_ACCEPTED-unset}"'
	assert_success
	assert_output_equals "ax|b 1|c|unset"
}

@test "RemoteCommand runs when no command is given; both is an error" {
	write_cfg "$BSSH_TMP/cfg"
	printf '    RemoteCommand echo remote-%%r-%%n\n' >>"$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" alias </dev/null
	assert_success
	assert_output_equals "remote-$FX_USER-alias"
	run bssh-exec -F "$BSSH_TMP/cfg" alias echo other
	assert_status 255
	assert_output_contains "RemoteCommand"
}

@test "RequestTTY: force gives a PTY without a terminal, no and auto do not" {
	write_cfg "$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" -o RequestTTY=no alias tty </dev/null
	assert_output_contains "not a tty"
	run bssh-exec -F "$BSSH_TMP/cfg" -o RequestTTY=yes alias tty </dev/null
	assert_output_contains "not a tty"
	[ "$EUID" -eq 0 ] || skip "sshd running as an ordinary user cannot allocate PTYs"
	run bssh-exec -F "$BSSH_TMP/cfg" -o RequestTTY=force alias tty </dev/null
	assert_success
	[[ ${lines[0]} == /dev/pts/* ]]
}

@test "ProxyCommand relays the session; its failure is reported" {
	write_cfg "$BSSH_TMP/cfg"
	# shellcheck disable=SC2016
	printf '    ProxyCommand bash -c %s\n' \
		"'exec 3<>/dev/tcp/%h/%p; cat <&3 & exec cat >&3'" >>"$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" alias 'set -- $SSH_CONNECTION; echo "via $3"'
	assert_success
	assert_output_equals "via 127.0.0.2"
	write_cfg "$BSSH_TMP/cfg2"
	printf "    ProxyCommand sh -c 'exit 3'\\n" >>"$BSSH_TMP/cfg2"
	run bssh-exec -F "$BSSH_TMP/cfg2" alias true
	assert_status 255
	assert_output_contains "ProxyCommand exited with status 3"
	printf '    ProxyCommand none\n' >"$BSSH_TMP/cfg3"
	cat "$BSSH_TMP/cfg2" >>"$BSSH_TMP/cfg3"
	run bssh-exec -F "$BSSH_TMP/cfg3" alias echo direct
	assert_success
	assert_output_equals direct
}

@test "ProxyJump and -J: a clear error, exit 255" {
	write_cfg "$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" -J jumphost alias true
	assert_status 255
	assert_output_equals "bssh-exec: ProxyJump/-J: jump hosts are not supported yet"
	printf '    ProxyJump user@jump:2222\n' >>"$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" alias true
	assert_status 255
	assert_output_equals "bssh-exec: ProxyJump/-J: jump hosts are not supported yet"
	run bssh-exec -F "$BSSH_TMP/cfg" -J none alias echo ok
	assert_success
}

@test "Match exec true and false choose the block, without a shell" {
	# "false || true" would be true through a shell; run directly, false is.
	write_cfg "$BSSH_TMP/cfg"
	{
		echo 'Match exec false'
		echo '    Port 1'
		echo 'Match exec "test %n = alias"'
		echo '    ConnectTimeout 9'
		echo 'Match exec "false || true"'
		echo '    Port 2'
	} >"$BSSH_TMP/m"
	cat "$BSSH_TMP/cfg" >>"$BSSH_TMP/m"
	run bssh-exec -F "$BSSH_TMP/m" alias echo ok
	assert_success
	assert_output_equals ok
	run bssh-exec -G -F "$BSSH_TMP/m" alias
	assert_output_contains "connecttimeout 9"
}

@test "HostKeyAlias is the name looked up in known_hosts" {
	write_cfg "$BSSH_TMP/cfg"
	sed "s/^\[127.0.0.1\]/[other-name]/" "$FX_KNOWN_HOSTS" >"$BSSH_TMP/kh"
	sed -i "s#UserKnownHostsFile .*#UserKnownHostsFile $BSSH_TMP/kh#" "$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" -o HostName=127.0.0.1 alias echo never
	assert_status 255
	printf '    HostKeyAlias Other-Name\n' >>"$BSSH_TMP/cfg"
	run bssh-exec -F "$BSSH_TMP/cfg" -o HostName=127.0.0.1 alias echo ok
	assert_success
	assert_output_equals ok
}
