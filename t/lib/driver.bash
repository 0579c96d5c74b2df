# shellcheck shell=bash
# t/lib/driver.bash -- what the bssh driver tests share (load after
# lib/common, lib/sshd and lib/client).
#
#   ADDR               remote prelude: $a = the address the client reached
#                      (3rd field of SSH_CONNECTION), $n = its last octet
#   bssh_files ARGS    run bssh, stdout/stderr into $BSSH_TMP/out and err,
#                      status in $status; bounded (a hang fails one test)
#   start_sink         a tcpsink in the background: sets sink and sinkport
#   driver_teardown    kill a tcpsink or bssh this test left behind

# shellcheck disable=SC2016
ADDR='set -- $SSH_CONNECTION; a=$3; n=${a##*.};'

bssh_files() {
	status=0
	timeout -k 10 60 bssh "$@" >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" || status=$?
}

start_sink() {
	local i
	rm -f "$BSSH_TMP/sinkport"	# the background job truncates it too late
	tcpsink -t 60 >"$BSSH_TMP/sinkport" &
	sink=$!
	for ((i = 0; i < 200; i++)); do
		[[ -s $BSSH_TMP/sinkport ]] && break
		sleep 0.05
	done
	sinkport=$(cat "$BSSH_TMP/sinkport")
	[[ $sinkport =~ ^[0-9]+$ ]]
}

driver_teardown() {
	if [[ -n ${sink:-} && $(readlink "/proc/$sink/exe" 2>/dev/null) == */tcpsink ]]; then
		kill "$sink" 2>/dev/null || true
	fi
	if [[ -n ${pid:-} && $(readlink "/proc/$pid/exe" 2>/dev/null) == */bssh* ]]; then
		kill -TERM "$pid" 2>/dev/null || true
	fi
}
