# shellcheck shell=bash disable=SC2015,SC2016
# t/lib/sshd.bash -- a throwaway OpenSSH sshd on loopback serving N "hosts".
#
# Sourced by bats files (`load lib/sshd`) and by plain bash scripts (demo,
# benchmarks).  It uses no bats function; every function returns non-zero with
# a message on stderr on failure.  Safe under set -e / set -u callers (bats
# runs with errexit); independent of the caller's cwd.
#
#   fx_start [N]                  start sshd serving 127.0.0.1 .. 127.0.0.N
#                                 (default 4, 1 <= N <= 254) on one free port
#   fx_stop                       stop every instance, remove FX_DIR (idempotent)
#   fx_hostkey_line HOST [TYPE]   known_hosts line "[HOST]:PORT type base64"
#                                 TYPE: ed25519 (default) or rsa
#   fx_ssh [SSH_OPTION... --] HOST CMD...
#                                 OpenSSH ssh -F FX_SSH_CONFIG against HOST
#   fx_wait_port HOST PORT [TIMEOUT [PREFIX]]
#                                 wait (bounded, default 10 s) until HOST:PORT
#                                 accepts and sends a first line starting with
#                                 PREFIX (default "SSH-2.0-"; "" = connect only)
#
# Exported by fx_start: FX_DIR FX_PORT FX_USER FX_PASSWORD FX_KEY FX_KEY_ENC
# FX_KEY_PASSPHRASE FX_KEY_OTHER FX_N FX_HOSTS FX_HOSTKEY_PUB FX_KNOWN_HOSTS
# FX_SSH_CONFIG FX_PIDS (space separated sshd listener PIDs).
# Files in FX_DIR: sshd_config.I, sshd.I.log, sshd.I.pid (I = 1..ceil(N/16)),
# ssh_host_{ed25519,rsa}_key[.pub], id_ed25519, id_enc, id_other (+ .pub),
# authorized_keys, known_hosts, ssh_config.
#
# Knobs (environment, read when this file is sourced / fx_start runs):
#   FX_READY_TIMEOUT   seconds to wait for the instances to answer (10)
#   FX_SSHD_LOGLEVEL   sshd LogLevel (ERROR)
#   FX_SSHD_EXTRA      extra sshd_config lines put first in every config
#   FX_SSHD_BIN, FX_SFTP_SERVER   /usr/sbin/sshd, /usr/lib/openssh/sftp-server
#
# A plain script should `trap fx_stop EXIT` right after sourcing this file.
#
# sshd takes at most 16 ListenAddress lines, so ceil(N/16) sshd processes share
# the port: instance 1 listens on 127.0.0.1..16, instance 2 on 127.0.0.17..32...
#
# As root the login user is "bsshtest" (shell /bin/sh, home /var/lib/bsshtest,
# password FX_PASSWORD); root itself is never logged in.  As an ordinary user,
# sshd runs as that user and can only log that same user in: FX_USER is the
# caller and password authentication is off (FX_PASSWORD empty).

FX_SSHD_BIN=${FX_SSHD_BIN:-/usr/sbin/sshd}
FX_SFTP_SERVER=${FX_SFTP_SERVER:-/usr/lib/openssh/sftp-server}
FX_LOGIN_USER_ROOT=${FX_LOGIN_USER_ROOT:-bsshtest}
FX_LOGIN_HOME_ROOT=${FX_LOGIN_HOME_ROOT:-/var/lib/bsshtest}
FX_READY_TIMEOUT=${FX_READY_TIMEOUT:-10}
# sshd LogLevel (raise to DEBUG3 when debugging a test; logs: FX_DIR/sshd.I.log)
FX_SSHD_LOGLEVEL=${FX_SSHD_LOGLEVEL:-ERROR}
# Extra sshd_config lines (newline separated), written at the top of every
# instance's config; sshd keeps the first value it reads, so these override.
FX_SSHD_EXTRA=${FX_SSHD_EXTRA:-}

_fx_err() {
	printf 'fx: %s\n' "$*" >&2
}

# _fx_alive PID: true when PID exists and is not a zombie.
_fx_alive() {
	local pid=$1 stat
	kill -0 "$pid" 2>/dev/null || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# _fx_descendants PID...: print every descendant PID (children first level
# first), bounded by the process table.
_fx_descendants() {
	local IFS=$' \t\n'
	local -a queue=("$@")
	local pid kid i=0
	command -v pgrep >/dev/null 2>&1 || return 0
	while ((i < ${#queue[@]} && i < 4096)); do
		pid=${queue[i]}
		i=$((i + 1))
		for kid in $(pgrep -P "$pid" 2>/dev/null); do
			printf '%s\n' "$kid"
			queue+=("$kid")
		done
	done
}

# _fx_kill_pids PID...: SIGTERM, wait up to ~5 s, SIGKILL the rest, reap ours.
_fx_kill_pids() {
	local pid tries left
	(($# > 0)) || return 0
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((tries = 0; tries < 50; tries++)); do
		left=0
		for pid in "$@"; do
			_fx_alive "$pid" && left=1
		done
		((left)) || break
		sleep 0.1
	done
	for pid in "$@"; do
		if _fx_alive "$pid"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	# Reap the ones that are children of this shell (no-op for others).
	for pid in "$@"; do
		wait "$pid" 2>/dev/null || true
	done
	return 0
}

_fx_hostkey_file() {
	case ${1:-ed25519} in
	ed25519 | ssh-ed25519) printf '%s\n' "$FX_DIR/ssh_host_ed25519_key.pub" ;;
	rsa | ssh-rsa) printf '%s\n' "$FX_DIR/ssh_host_rsa_key.pub" ;;
	*)
		_fx_err "unknown host key type '$1' (use ed25519 or rsa)"
		return 1
		;;
	esac
}

fx_hostkey_line() {
	if (($# < 1 || $# > 2)); then
		_fx_err "usage: fx_hostkey_line HOST [ed25519|rsa]"
		return 1
	fi
	local host=$1 file ktype kb64 rest
	if [[ -z ${FX_DIR:-} || -z ${FX_PORT:-} ]]; then
		_fx_err "fx_hostkey_line: fixture not started"
		return 1
	fi
	file=$(_fx_hostkey_file "${2:-ed25519}") || return 1
	read -r ktype kb64 rest <"$file" || {
		_fx_err "cannot read $file"
		return 1
	}
	printf '[%s]:%s %s %s\n' "$host" "$FX_PORT" "$ktype" "$kb64"
}

fx_wait_port() {
	if (($# < 2 || $# > 4)); then
		_fx_err "usage: fx_wait_port HOST PORT [TIMEOUT_SECONDS [BANNER_PREFIX]]"
		return 1
	fi
	local host=$1 port=$2 timeout=${3:-10} prefix=${4-SSH-2.0-}
	local attempts max
	[[ $timeout =~ ^[0-9]+$ ]] || {
		_fx_err "fx_wait_port: bad timeout '$timeout'"
		return 1
	}
	# Each attempt is itself bounded (timeout 3 s), pauses are 0.1 s: the
	# loop stops after about TIMEOUT seconds when the port stays refused.
	max=$((timeout * 10 + 1))
	for ((attempts = 0; attempts < max; attempts++)); do
		if _fx_probe "$host" "$port" "$prefix"; then
			return 0
		fi
		sleep 0.1
	done
	_fx_err "fx_wait_port: $host:$port not ready after ${timeout}s"
	return 1
}

# _fx_probe HOST PORT PREFIX: one bounded connect (+ first line) attempt.
_fx_probe() {
	timeout -k 1 3 bash -c '
		exec 9<>"/dev/tcp/$1/$2" || exit 1
		[[ -z $3 ]] && exit 0
		IFS= read -r -t 2 line <&9 || exit 2
		[[ $line == "$3"* ]] || exit 3
		# Answer with a client banner: an SSH server then logs the
		# early close below LogLevel ERROR instead of as an error.
		[[ $3 == SSH-* ]] && printf "SSH-2.0-fxprobe\r\n" >&9
		exit 0
	' fx-probe "$1" "$2" "$3" </dev/null >/dev/null 2>&1
}

fx_ssh() {
	local -a opts=()
	if [[ ${1:-} == -* ]]; then
		while (($# > 0)) && [[ $1 != -- ]]; do
			opts+=("$1")
			shift
		done
		if (($# == 0)); then
			_fx_err "fx_ssh: options must end with --"
			return 1
		fi
		shift
	fi
	if (($# < 1)); then
		_fx_err "usage: fx_ssh [SSH_OPTION... --] HOST [CMD...]"
		return 1
	fi
	if [[ -z ${FX_SSH_CONFIG:-} ]]; then
		_fx_err "fx_ssh: fixture not started"
		return 1
	fi
	local host=$1
	shift
	ssh -F "$FX_SSH_CONFIG" "${opts[@]}" -- "$host" "$@"
}

# _fx_retry_cmd CMD...: run CMD up to 10 times (passwd/shadow lock contention).
_fx_retry_cmd() {
	local i
	for ((i = 0; i < 10; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# _fx_root_prepare: privsep dir, privsep user, login user with password.
_fx_root_prepare() {
	local u=$FX_LOGIN_USER_ROOT home=$FX_LOGIN_HOME_ROOT pwent
	mkdir -p /run/sshd && chmod 755 /run/sshd || {
		_fx_err "cannot create /run/sshd"
		return 1
	}
	if ! getent passwd sshd >/dev/null; then
		_fx_retry_cmd useradd -r -M -d /run/sshd -s /usr/sbin/nologin sshd ||
			getent passwd sshd >/dev/null || {
			_fx_err "privilege separation user sshd missing and useradd failed"
			return 1
		}
	fi
	if ! getent passwd "$u" >/dev/null; then
		local -a gopt=()
		getent group "$u" >/dev/null && gopt=(-g "$u")
		if ! _fx_retry_cmd useradd -M -d "$home" -s /bin/sh "${gopt[@]}" "$u"; then
			getent passwd "$u" >/dev/null || {
				_fx_err "useradd $u failed"
				return 1
			}
		fi
		# '*' not '!': with UsePAM no a '!'-locked account is refused even
		# for public keys.  chpasswd below replaces it with a real hash.
		_fx_retry_cmd usermod -p '*' "$u" || {
			_fx_err "usermod -p '*' $u failed"
			return 1
		}
	fi
	# An existing account keeps its own home directory.
	pwent=$(getent passwd "$u") || return 1
	IFS=: read -r _ _ _ _ _ home _ <<<"$pwent"
	mkdir -p "$home" && chown "$u:" "$home" && chmod 0755 "$home" || {
		_fx_err "cannot prepare home $home"
		return 1
	}
	_fx_retry_cmd bash -c 'printf "%s:%s\n" "$1" "$2" | chpasswd' fx "$u" "$FX_PASSWORD" || {
		_fx_err "chpasswd for $u failed"
		return 1
	}
}

# _fx_gen_keys: host and user keys, authorized_keys (in FX_DIR).
_fx_gen_keys() {
	local d=$FX_DIR
	ssh-keygen -q -t ed25519 -N '' -C fx-host -f "$d/ssh_host_ed25519_key" </dev/null &&
		ssh-keygen -q -t rsa -b 2048 -N '' -C fx-host -f "$d/ssh_host_rsa_key" </dev/null &&
		ssh-keygen -q -t ed25519 -N '' -C fx-user -f "$d/id_ed25519" </dev/null &&
		ssh-keygen -q -t ed25519 -N "$FX_KEY_PASSPHRASE" -C fx-enc -f "$d/id_enc" </dev/null &&
		ssh-keygen -q -t ed25519 -N '' -C fx-other -f "$d/id_other" </dev/null || {
		_fx_err "ssh-keygen failed"
		return 1
	}
	cat "$d/id_ed25519.pub" "$d/id_enc.pub" >"$d/authorized_keys" &&
		chmod 644 "$d/authorized_keys" "$d"/*.pub || return 1
}

# _fx_write_config IDX FIRST LAST: sshd_config.IDX listening on
# 127.0.0.FIRST .. 127.0.0.LAST.
_fx_write_config() {
	local idx=$1 first=$2 last=$3 d=$FX_DIR a pwauth=no
	[[ -n $FX_PASSWORD ]] && pwauth=yes
	{
		[[ -n $FX_SSHD_EXTRA ]] && printf '%s\n' "$FX_SSHD_EXTRA"
		printf 'Port %s\n' "$FX_PORT"
		for ((a = first; a <= last; a++)); do
			printf 'ListenAddress 127.0.0.%s\n' "$a"
		done
		printf 'HostKey %s\n' "$d/ssh_host_ed25519_key" "$d/ssh_host_rsa_key"
		printf 'AuthorizedKeysFile %s\n' "$d/authorized_keys"
		printf 'PidFile %s\n' "$d/sshd.$idx.pid"
		printf 'PasswordAuthentication %s\n' "$pwauth"
		cat <<-EOF
			UsePAM no
			KbdInteractiveAuthentication no
			PubkeyAuthentication yes
			MaxStartups 1000:30:1000
			MaxSessions 100
			MaxAuthTries 10
			StrictModes no
			LogLevel $FX_SSHD_LOGLEVEL
			UseDNS no
			PrintMotd no
			PrintLastLog no
			AcceptEnv LANG LC_* BSSH_TEST_*
			Subsystem sftp $FX_SFTP_SERVER
			PermitRootLogin no
			ClientAliveInterval 0
		EOF
		# OpenSSH >= 9.8 penalises failed authentications per source
		# address; tests make refused logins on purpose.
		if ((FX_HAVE_PENALTIES)); then
			printf 'PerSourcePenalties no\n'
		fi
	} >"$d/sshd_config.$idx"
}

# _fx_launch_all: start every instance on FX_PORT; sets FX_PIDS.
# Returns 0 ready, 2 bind failure (retry another port), 1 other failure.
_fx_launch_all() {
	local n=$FX_N ninst idx first last pid log deadline
	local -a pids=()
	ninst=$(((n + 15) / 16))
	for ((idx = 1; idx <= ninst; idx++)); do
		first=$(((idx - 1) * 16 + 1))
		last=$((idx * 16 < n ? idx * 16 : n))
		_fx_write_config "$idx" "$first" "$last" || return 1
	done
	if ! "$FX_SSHD_BIN" -t -f "$FX_DIR/sshd_config.1" 2>"$FX_DIR/sshd-t.log"; then
		_fx_err "sshd -t rejected $FX_DIR/sshd_config.1:"
		cat "$FX_DIR/sshd-t.log" >&2
		return 1
	fi
	for ((idx = 1; idx <= ninst; idx++)); do
		# 3>&- etc.: never hold the caller's (bats') descriptors open.
		"$FX_SSHD_BIN" -D -e -f "$FX_DIR/sshd_config.$idx" \
			</dev/null >/dev/null 2>"$FX_DIR/sshd.$idx.log" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
		pids+=("$!")
	done
	FX_PIDS="${pids[*]}"
	export FX_PIDS

	deadline=$((SECONDS + FX_READY_TIMEOUT + 1))
	for ((idx = 1; idx <= ninst; idx++)); do
		pid=${pids[idx - 1]}
		first=$(((idx - 1) * 16 + 1))
		log=$FX_DIR/sshd.$idx.log
		while :; do
			if _fx_probe "127.0.0.$first" "$FX_PORT" SSH-2.0-; then
				break
			fi
			if ! _fx_alive "$pid"; then
				if grep -qE 'Bind to port|Cannot bind|Address already in use' "$log" 2>/dev/null; then
					return 2
				fi
				_fx_err "sshd instance $idx (pid $pid) exited; log $log:"
				cat "$log" >&2
				return 1
			fi
			if ((SECONDS >= deadline)); then
				if grep -qE 'Bind to port|Cannot bind|Address already in use' "$log" 2>/dev/null; then
					return 2
				fi
				_fx_err "sshd instance $idx (pid $pid) not answering on 127.0.0.$first:$FX_PORT after ${FX_READY_TIMEOUT}s; log $log:"
				cat "$log" >&2
				return 1
			fi
			sleep 0.1
		done
	done
	# Every instance answered on its first address, so all of its binds
	# are done: a failure on any other address is in its log by now.
	for ((idx = 1; idx <= ninst; idx++)); do
		if grep -qE 'Bind to port|Cannot bind|Address already in use' "$FX_DIR/sshd.$idx.log" 2>/dev/null; then
			return 2
		fi
	done
	return 0
}

fx_start() {
	local IFS=$' \t\n'
	local n=${1:-4} try rc h i pid
	if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 254)); then
		_fx_err "usage: fx_start [N]   (1 <= N <= 254)"
		return 1
	fi
	if [[ -n ${FX_PIDS:-} ]]; then
		for pid in $FX_PIDS; do
			if _fx_alive "$pid"; then
				_fx_err "fx_start: a fixture is already running (pids $FX_PIDS); call fx_stop first"
				return 1
			fi
		done
	fi
	if [[ ! -x $FX_SSHD_BIN ]]; then
		_fx_err "fx_start: $FX_SSHD_BIN not found"
		return 1
	fi
	local t
	for t in ssh ssh-keygen timeout; do
		command -v "$t" >/dev/null 2>&1 || {
			_fx_err "fx_start: $t not found"
			return 1
		}
	done

	FX_PIDS=""
	FX_N=$n
	FX_KEY_PASSPHRASE="fixture-pass"
	if ((EUID == 0)); then
		FX_USER=$FX_LOGIN_USER_ROOT
		FX_PASSWORD="fixture-secret-pw"
	else
		FX_USER=$(id -un) || return 1
		FX_PASSWORD=""
		# A non-root sshd can only log in the user running it, through
		# that user's login shell.
		local pwent shell
		pwent=$(getent passwd "$FX_USER") || {
			_fx_err "fx_start: no passwd entry for $FX_USER"
			return 1
		}
		IFS=: read -r _ _ _ _ _ _ shell <<<"$pwent"
		case $shell in
		*/nologin | */false | "")
			_fx_err "fx_start: $FX_USER's login shell '$shell' cannot run commands"
			return 1
			;;
		esac
	fi
	FX_DIR=$(mktemp -d /tmp/bssh-fx.XXXXXX) || {
		_fx_err "mktemp failed"
		return 1
	}
	export FX_DIR FX_N FX_USER FX_PASSWORD FX_KEY_PASSPHRASE FX_PIDS
	chmod 755 "$FX_DIR" || {
		fx_stop
		return 1
	}
	FX_KEY=$FX_DIR/id_ed25519
	FX_KEY_ENC=$FX_DIR/id_enc
	FX_KEY_OTHER=$FX_DIR/id_other
	FX_HOSTKEY_PUB=$FX_DIR/ssh_host_ed25519_key.pub
	FX_KNOWN_HOSTS=$FX_DIR/known_hosts
	FX_SSH_CONFIG=$FX_DIR/ssh_config
	FX_HOSTS=""
	for ((i = 1; i <= n; i++)); do
		FX_HOSTS+="${FX_HOSTS:+ }127.0.0.$i"
	done
	export FX_KEY FX_KEY_ENC FX_KEY_OTHER FX_HOSTKEY_PUB FX_KNOWN_HOSTS \
		FX_SSH_CONFIG FX_HOSTS

	if ((EUID == 0)); then
		_fx_root_prepare || {
			fx_stop
			return 1
		}
	fi
	_fx_gen_keys || {
		fx_stop
		return 1
	}
	# Does this sshd know PerSourcePenalties (OpenSSH >= 9.8)?
	FX_HAVE_PENALTIES=0
	if "$FX_SSHD_BIN" -t -f /dev/null -h "$FX_DIR/ssh_host_ed25519_key" \
		-o PerSourcePenalties=no >/dev/null 2>&1; then
		FX_HAVE_PENALTIES=1
	fi

	rc=2
	for ((try = 0; try < 20 && rc == 2; try++)); do
		FX_PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		export FX_PORT
		rc=0
		_fx_launch_all || rc=$?
		if ((rc != 0)); then
			# shellcheck disable=SC2086
			_fx_kill_pids $FX_PIDS
			FX_PIDS=""
		fi
	done
	if ((rc != 0)); then
		((rc == 2)) && _fx_err "fx_start: could not bind a free port in 20 tries"
		fx_stop
		return 1
	fi

	: >"$FX_KNOWN_HOSTS"
	for h in $FX_HOSTS; do
		fx_hostkey_line "$h" ed25519 >>"$FX_KNOWN_HOSTS" &&
			fx_hostkey_line "$h" rsa >>"$FX_KNOWN_HOSTS" || {
			fx_stop
			return 1
		}
	done
	chmod 644 "$FX_KNOWN_HOSTS"
	cat >"$FX_SSH_CONFIG" <<-EOF
		Host *
		  User $FX_USER
		  Port $FX_PORT
		  IdentityFile $FX_KEY
		  IdentitiesOnly yes
		  UserKnownHostsFile $FX_KNOWN_HOSTS
		  GlobalKnownHostsFile /dev/null
		  StrictHostKeyChecking yes
		  UpdateHostKeys no
		  BatchMode yes
		  LogLevel ERROR
	EOF
	return 0
}

fx_stop() {
	local IFS=$' \t\n'
	local pid
	local -a pids=() kids=()
	for pid in ${FX_PIDS:-}; do
		[[ $pid =~ ^[0-9]+$ ]] && pids+=("$pid")
	done
	if ((${#pids[@]} > 0)); then
		# Session processes first (a test that failed mid-command may
		# have left e.g. a remote sleep behind), then the listeners.
		mapfile -t kids < <(_fx_descendants "${pids[@]}")
		_fx_kill_pids "${kids[@]}"
		_fx_kill_pids "${pids[@]}"
	fi
	FX_PIDS=""
	export FX_PIDS
	if [[ -n ${FX_DIR:-} && $FX_DIR == /tmp/bssh-fx.* && -d $FX_DIR ]]; then
		rm -rf -- "$FX_DIR"
	fi
	return 0
}
