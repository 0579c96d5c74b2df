#!/usr/bin/env bats
# frontiere-dispatch under a real OpenSSH sshd on loopback: as a key's
# forced command (any user), and as an account's login shell (root only),
# where a client must not be able to choose its level or configuration.

load lib/common
load lib/sshd
load lib/frontiere

FR_SHELL_USER=bsshfr

setup_file() {
	# Files the login user must read: not under bats' private temp dirs.
	FR_DIR=$(mktemp -d /tmp/bssh-fr.XXXXXX)
	chmod 755 "$FR_DIR"
	mkdir -m 777 "$FR_DIR/log"
	cp "$(command -v frontiere-dispatch)" "$FR_DIR/frontiere-dispatch"
	chmod 755 "$FR_DIR/frontiere-dispatch"
	export FR_DIR
	if ((EUID == 0)); then
		# The login-shell account: its keys are in its home, as usual.
		export FX_LOGIN_USER_ROOT=$FR_SHELL_USER FX_LOGIN_HOME_ROOT=$FR_DIR/home
		export FX_SSHD_EXTRA="AuthorizedKeysFile .ssh/authorized_keys"
	fi
	fx_start 2
	if ((EUID == 0)); then
		_fx_retry_cmd usermod -d "$FR_DIR/home" -s "$FR_DIR/frontiere-dispatch" "$FR_SHELL_USER"
		mkdir -p "$FR_DIR/home/.ssh"
		chown -R "$FR_SHELL_USER:" "$FR_DIR/home"
	fi
}

teardown_file() {
	fx_stop
	if ((EUID == 0)); then
		_fx_retry_cmd usermod -s /bin/sh "$FR_SHELL_USER" || true
	fi
	rm -rf "$FR_DIR"
}

setup() {
	fr_setup
	cat >"$FR_DIR/config.toml" <<-EOF
		[global]
		log_file = "$FR_DIR/log/commands.json"

		[domains.demo]
		description = "Demo"

		[domains.demo.actions.hello]
		description = "Say hello"
		level = "read"
		execute = "/bin/echo hello {who}"

		[domains.demo.actions.hello.args]
		who = { default = "world" }

		[domains.demo.actions.deploy]
		description = "Needs ops"
		level = "ops"
		execute = "/bin/echo deployed"

		[domains.demo.actions.nuke]
		description = "Needs admin"
		level = "admin"
		execute = "/usr/bin/touch $FR_DIR/log/nuked"
	EOF
	chmod 644 "$FR_DIR/config.toml"
	rm -f "$FR_DIR/log/nuked"
	FORCED="$FR_DIR/frontiere-dispatch --level=ops --config=$FR_DIR/config.toml"
}

# ssh with a key, as the fixture's client config says, plus options.
fr_ssh() {
	ssh -F "$FX_SSH_CONFIG" -o BatchMode=yes "$@"
}

# Make the fixture's key run the forced command (the documented deployment).
# As root the login account is the one whose shell is frontiere-dispatch
# and whose keys are in its home; otherwise it is the caller with its shell.
force_fixture_key() {
	local keys=$FX_DIR/authorized_keys
	((EUID == 0)) && keys=$FR_DIR/home/.ssh/authorized_keys
	{
		printf 'command="%s",restrict ' "$FORCED"
		cat "$FX_DIR/id_ed25519.pub"
	} >"$keys"
}

@test "as a forced command: banner, one command, JSON, exit status over real ssh" {
	force_fixture_key
	run bash -c 'printf "demo hello who=sshd\n.\n" | ssh -F "$1" -o BatchMode=yes 127.0.0.1' _ "$FX_SSH_CONFIG"
	assert_success
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_output_contains ">> hello sshd"
	assert_output_contains '>>> {"command":"demo hello who=sshd","status_code":0,"status_message":"executed","stdout":null,"stderr":null}'
}

@test "as a forced command: the key's --level=ops holds, and the exit status is the first block's" {
	force_fixture_key
	run bash -c 'printf "demo deploy\n.\n" | ssh -F "$1" -o BatchMode=yes 127.0.0.1' _ "$FX_SSH_CONFIG"
	assert_success
	assert_output_contains ">> deployed"
	run bash -c 'printf "demo nuke\n.\n" | ssh -F "$1" -o BatchMode=yes 127.0.0.1' _ "$FX_SSH_CONFIG"
	assert_status 131
	assert_output_contains "insufficient level (admin required, ops granted)"
	[ ! -e "$FR_DIR/log/nuked" ]
}

@test "as a forced command: a command the client types goes nowhere (SSH_ORIGINAL_COMMAND is ignored)" {
	force_fixture_key
	run bash -c 'printf "demo hello\n.\n" | ssh -F "$1" -o BatchMode=yes 127.0.0.1 -- --level=admin demo nuke' _ "$FX_SSH_CONFIG"
	assert_success
	assert_output_contains ">> hello world"
	[ ! -e "$FR_DIR/log/nuked" ]
}

@test "as a forced command: a session of several blocks and the log's ssh_client" {
	force_fixture_key
	run bash -c 'printf "+ session keepalive\ndemo hello who=1\n.\ndemo hello who=2\n.\n.\n" | ssh -F "$1" -o BatchMode=yes 127.0.0.2' _ "$FX_SSH_CONFIG"
	assert_success
	assert_output_contains ">> hello 1"
	assert_output_contains ">> hello 2"
	assert_output_contains "#> session closed"
	# SSH_CLIENT is "client-address client-port server-port".
	grep -Eq '"ssh_client":"127\.0\.0\.[0-9]+ [0-9]+ '"$FX_PORT"'"' "$FR_DIR/log/commands.json"
}

# Nonce mode over ssh: read the banner's nonce, answer with its proof.
# ssh runs as a coprocess, with bounded reads.
nonce_session() {
	local line nonce proof in out pid
	coproc SSHC { ssh -F "$FX_SSH_CONFIG" -o BatchMode=yes 127.0.0.1 2>&1; }
	# bash drops the coprocess variables when it ends: keep copies.
	pid=$SSHC_PID
	exec {in}<&"${SSHC[0]}" {out}>&"${SSHC[1]}"
	while IFS= read -r -t 20 line <&"$in"; do
		printf '%s\n' "$line" >>"$BSSH_TMP/transcript"
		[[ $line == "+> challenge nonce="* ]] && nonce=${line#*nonce=}
		[[ $line == "#> type \"help\""* ]] && break
	done
	proof=$(frontiere-proof --secret secret --nonce "$nonce")
	printf '%s\n' "$nonce" >>"$BSSH_TMP/nonces"
	printf '+ auth token=ci proof=%s\ndemo nuke\n.\n' "${1:-$proof}" >&"$out"
	exec {out}>&- {SSHC[1]}>&-
	while IFS= read -r -t 20 line <&"$in"; do
		printf '%s\n' "$line" >>"$BSSH_TMP/transcript"
	done
	exec {in}<&-
	wait "$pid"
}

@test "nonce mode over ssh: a fresh nonce per connection, its proof raises the level, an old proof fails" {
	cat >>"$FR_DIR/config.toml" <<-EOF

		[auth]
		challenge_nonce = true

		[auth.tokens.ci]
		secret = "b64:c2VjcmV0"
		level = "admin"
	EOF
	FORCED="$FR_DIR/frontiere-dispatch --level=read --config=$FR_DIR/config.toml"
	force_fixture_key
	run nonce_session
	assert_success
	grep -qx '#> auth ok, level=admin' "$BSSH_TMP/transcript"
	[ -e "$FR_DIR/log/nuked" ]
	rm -f "$FR_DIR/log/nuked" "$BSSH_TMP/transcript"
	old_proof=$(frontiere-proof --secret secret --nonce "$(head -n1 "$BSSH_TMP/nonces")")
	run nonce_session "$old_proof"
	assert_status 131
	grep -qx '#> authentication failed (1/3)' "$BSSH_TMP/transcript"
	[ ! -e "$FR_DIR/log/nuked" ]
	[ "$(sort -u "$BSSH_TMP/nonces" | wc -l)" -eq 2 ]
}

# --- the account's login shell is frontiere-dispatch (root only) ---------

login_shell_keys() {
	local forced_key other_key
	forced_key=$(cat "$FX_DIR/id_ed25519.pub")
	other_key=$(cat "$FX_DIR/id_other.pub")
	{
		printf 'command="%s",restrict %s\n' "$FORCED" "$forced_key"
		printf 'restrict %s\n' "$other_key"
	} >"$FR_DIR/home/.ssh/authorized_keys"
	chown "$FR_SHELL_USER:" "$FR_DIR/home/.ssh/authorized_keys"
}

@test "login shell: the forced command of a key gives its level even without a client command" {
	((EUID == 0)) || skip "needs root to make an account with this login shell"
	login_shell_keys
	run bash -c 'printf "demo deploy\n.\n" | ssh -F "$1" -o BatchMode=yes -l "$2" 127.0.0.1' _ "$FX_SSH_CONFIG" "$FR_SHELL_USER"
	assert_success
	assert_output_contains ">> deployed"
}

@test "login shell: a client's --level=admin through sshd's -c is not honoured with a forced command" {
	((EUID == 0)) || skip "needs root to make an account with this login shell"
	login_shell_keys
	run bash -c 'printf "demo nuke\n.\n" | ssh -F "$1" -o BatchMode=yes -l "$2" 127.0.0.1 -- --level=admin' _ "$FX_SSH_CONFIG" "$FR_SHELL_USER"
	assert_status 131
	[ ! -e "$FR_DIR/log/nuked" ]
}

@test "login shell: without a forced command, a client cannot pass --level or --config through -c" {
	((EUID == 0)) || skip "needs root to make an account with this login shell"
	login_shell_keys
	# The anchor would run this client's config at admin level.
	run bash -c 'printf "demo nuke\n.\n" | ssh -F "$1" -o BatchMode=yes -i "$3" -o IdentitiesOnly=yes -l "$2" 127.0.0.1 -- "--level=admin --config=$4" 2>&1' \
		_ "$FX_SSH_CONFIG" "$FR_SHELL_USER" "$FX_KEY_OTHER" "$FR_DIR/config.toml"
	assert_output_contains "options in a client's command are ignored"
	assert_output_not_contains "#> ssh-frontiere"
	assert_status 129
	[ ! -e "$FR_DIR/log/nuked" ]
}

@test "login shell: with no command and no forced command it is level read with the default config" {
	((EUID == 0)) || skip "needs root to make an account with this login shell"
	[ ! -e /etc/ssh-frontiere/config.toml ] || skip "a system config exists"
	login_shell_keys
	run bash -c 'printf "demo hello\n.\n" | ssh -F "$1" -o BatchMode=yes -i "$3" -o IdentitiesOnly=yes -l "$2" 127.0.0.1 2>&1' \
		_ "$FX_SSH_CONFIG" "$FR_SHELL_USER" "$FX_KEY_OTHER"
	assert_status 129
	assert_output_contains "frontiere-dispatch: error: service unavailable"
}
