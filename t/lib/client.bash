# shellcheck shell=bash
# t/lib/client.bash -- options that point our clients at the sshd fixture.
#
#   client_opts          CLIENT_OPTS=( -p PORT -l USER -i KEY ... ) with
#                        strict host key checking against FX_KNOWN_HOSTS
#   client_opts_tofu KH  the same with accept-new and known_hosts file KH
#   sshd_session_pids    PIDs of every process under the fixture's listeners
#   wait_running CMDLINE [S]  wait (bounded) until a process's whole command
#                        line is CMDLINE (pgrep -xf: never matches our client,
#                        whose command line only contains it)
#   wait_gone CMDLINE [S]  wait (bounded) until no such process is left

client_opts() {
	CLIENT_OPTS=(-p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" -o IdentitiesOnly=yes
		-o UserKnownHostsFile="$FX_KNOWN_HOSTS" -o GlobalKnownHostsFile=none
		--strict-host-key-checking yes)
}

client_opts_tofu() {
	CLIENT_OPTS=(-p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" -o IdentitiesOnly=yes
		-o UserKnownHostsFile="$1" -o GlobalKnownHostsFile=none
		--strict-host-key-checking accept-new)
}

sshd_session_pids() {
	# shellcheck disable=SC2086
	_fx_descendants $FX_PIDS
}

wait_running() {
	local cmdline=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		pgrep -xf -- "$cmdline" >/dev/null && return 0
		sleep 0.05
	done
	echo "never started: $cmdline" >&2
	return 1
}

wait_gone() {
	local cmdline=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		pgrep -xf -- "$cmdline" >/dev/null || return 0
		sleep 0.05
	done
	echo "still running: $(pgrep -axf -- "$cmdline")" >&2
	return 1
}
