#!/usr/bin/env bats
# shellcheck disable=SC2016
# bssh with bssh-config(5): -C clusters, default_cluster, `bssh list`,
# per-cluster settings and their precedence, Backend.AI sessions, errors.

load lib/common
load lib/sshd
load lib/client

setup_file() {
	fx_start 6
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	unset BACKENDAI_CLUSTER_HOSTS BACKENDAI_CLUSTER_HOST BACKENDAI_CLUSTER_ROLE XDG_CONFIG_HOME
	CONF=$HOME/.config/bssh/config.yaml
	mkdir -p "$(dirname "$CONF")"
	KH=(-o UserKnownHostsFile="$FX_KNOWN_HOSTS" -o GlobalKnownHostsFile=none
		--strict-host-key-checking yes)
	ADDR='set -- $SSH_CONNECTION; echo "$3"'
	cd "$BSSH_TMP"
}

write_conf() {
	cat >"$CONF"
}

base_conf() {
	write_conf <<-EOF
		defaults:
		  user: $FX_USER
		  port: $FX_PORT
		  ssh_key: $FX_KEY
		default_cluster: lab
		clusters:
		  lab:
		    nodes:
		      - "127.0.0.[1-3]"
		      - host: 127.0.0.4
		  web:
		    nodes: [ "127.0.0.5", "127.0.0.6" ]
		    parallel: 1
	EOF
}

@test "bssh list: clusters, node counts, the file and line, the default" {
	base_conf
	run bssh list
	assert_success
	assert_line_equals 0 "$(printf '%-20s %8s  %s' CLUSTER NODES SOURCE)"
	assert_output_contains "lab"
	[[ ${lines[1]} == "lab "*" 4  $CONF:"*"(default)" ]]
	[[ ${lines[2]} == "web "*" 2  $CONF:"* ]]
}

@test "bssh list without any configuration says so" {
	run bssh list
	assert_success
	assert_output_contains "no clusters configured"
}

@test "-C runs on the cluster's nodes, with its user, port and key" {
	base_conf
	run bssh "${KH[@]}" -N -C lab -- "$ADDR"
	assert_success
	[ "$(sort <<<"$output")" = "$(printf '127.0.0.%s\n' 1 2 3 4)" ]
}

@test "several -C and -H together: every node once, in order" {
	base_conf
	run bssh "${KH[@]}" -N -C web -C lab -H 127.0.0.1 -p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" -- "$ADDR"
	assert_success
	# web's nodes first, then lab's; 127.0.0.1 (a -H entry) duplicates nothing
	[ "$(head -n 2 <<<"$output")" = "$(printf '127.0.0.5\n127.0.0.6')" ]
	[ "$(wc -l <<<"$output")" -eq 7 ]
}

@test "the default cluster runs operands after --, and ping" {
	base_conf
	run bssh "${KH[@]}" -N -- "$ADDR"
	assert_success
	[ "$(sort <<<"$output")" = "$(printf '127.0.0.%s\n' 1 2 3 4)" ]
	run bssh "${KH[@]}" ping
	assert_success
	[ "${#lines[@]}" -eq 4 ]
}

@test "without -H, -C, -- or a default cluster the first operand is a destination" {
	write_conf <<-EOF
		clusters:
		  lab:
		    nodes: [ "127.0.0.1" ]
	EOF
	run bssh "${KH[@]}" -- true
	assert_status 255
	assert_output_contains "no -H, no -C and no default cluster"
	# the SSH personality: 127.0.0.2 is the destination
	run bssh "${KH[@]}" -p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" 127.0.0.2 "$ADDR"
	assert_success
	assert_output_equals 127.0.0.2
}

@test "settings: the cluster's timeout applies, the command line beats it" {
	write_conf <<-EOF
		defaults: { user: $FX_USER, port: $FX_PORT, ssh_key: $FX_KEY }
		clusters:
		  slow:
		    nodes: [ "127.0.0.1" ]
		    timeout: 1
		  patient:
		    nodes: [ "127.0.0.2" ]
		    timeout: 300
	EOF
	run bssh "${KH[@]}" -C slow -- 'sleep 4350'
	assert_status 255
	assert_output_contains "command timed out after 1 s"
	run bssh "${KH[@]}" --timeout 1 -C patient -- 'sleep 4351'
	assert_status 255
	assert_output_contains "command timed out after 1 s"
}

@test "a node's own ssh_key beats the cluster's, -i beats both" {
	write_conf <<-EOF
		defaults: { user: $FX_USER, port: $FX_PORT }
		clusters:
		  keys:
		    ssh_key: $FX_KEY_OTHER
		    nodes:
		      - host: 127.0.0.1
		        ssh_key: $FX_KEY
		      - 127.0.0.2
	EOF
	run bssh "${KH[@]}" -o IdentitiesOnly=yes -o PasswordAuthentication=no -C keys -- true
	assert_status 0	# main rank (node 1) has the right key
	assert_output_contains "127.0.0.2"
	assert_output_contains "permission denied"
	run bssh "${KH[@]}" -o IdentitiesOnly=yes -i "$FX_KEY" -C keys --require-all-success -- true
	assert_success
}

@test "-H nodes take defaults' user and port; the command line beats them" {
	write_conf <<-EOF
		defaults: { user: nobody-at-all, port: 1, ssh_key: $FX_KEY }
	EOF
	run bssh "${KH[@]}" -l "$FX_USER" -p "$FX_PORT" -N -H 127.0.0.3 -- "$ADDR"
	assert_success
	assert_output_equals 127.0.0.3
	run bssh "${KH[@]}" -N -H 127.0.0.3 -- true
	assert_status 255
	assert_output_contains "port 1"
}

@test "Backend.AI: bai_auto from the environment, next to the file's clusters" {
	base_conf
	export BACKENDAI_CLUSTER_HOSTS="main1, sub1,sub2" BACKENDAI_CLUSTER_HOST=sub1
	run bssh list
	assert_success
	assert_output_contains "lab"
	[[ $output == *"bai_auto "*" 3  environment"* ]]
	BACKENDAI_CLUSTER_ROLE=sub run bssh list
	[[ $output == *"bai_auto "*" 2  environment"* ]]
}

@test "configuration errors: file:line, exit 255, nothing runs" {
	write_conf <<-EOF
		clusters:
		  lab:
		    port: lots
		    nodes: [ "127.0.0.1" ]
	EOF
	run bssh -C lab -- 'touch /tmp/bssh-never-ran'
	assert_status 255
	assert_output_contains "$CONF:3: clusters.lab.port: not a number"
	[ ! -e /tmp/bssh-never-ran ]
	write_conf <<-EOF
		clusters:
		  lab:
		    nodes: [ "127.0.0.1" ]
		    colour: blue
	EOF
	run bssh list
	assert_success
	assert_output_contains "$CONF:4: unknown key \"colour\" (ignored)"
	run bssh --config "$BSSH_TMP/nope.yaml" list
	assert_status 255
	run bssh -C ghost -- true
	assert_status 255
	assert_output_contains 'no cluster "ghost"'
}

@test "--config names the file; ./config.yaml is found first without it" {
	base_conf
	cat >"$BSSH_TMP/config.yaml" <<-EOF
		clusters:
		  here:
		    nodes: [ "127.0.0.6" ]
	EOF
	run bssh list
	assert_output_contains "here"
	assert_output_not_contains "lab"
	run bssh --config "$CONF" list
	assert_output_contains "lab"
}
