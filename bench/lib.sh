# lib.sh: the steps of bench/run: scratch files, one workload comparison, start-up and footprint measurements.
# Sourced by bench/run, which sets here, build, bin, rounds and scratch.
# shellcheck shell=bash disable=SC2154,SC2059

# workload | default placement: native, capbox, ratio, goal, met | pinned to CPU 0: native, capbox, ratio
ROW_FORMAT='%-19s %11s %13s %8s %6s %4s | %11s %13s %8s\n'
# footprint rows: label, ready/requested, start us, PSS, RSS top, RSS child, MemAvailable drop, Shmem growth (KiB)
FOOT_FORMAT='%-27s %9s %13s %12s %11s %13s %18s %10s\n'

# scratch/file (1 MiB, cached) and scratch/big/ with 1000 empty files.
make_scratch() {
	local dir=$1
	head -c 1048576 /dev/urandom >"$dir/file"
	mkdir "$dir/big"
	(cd "$dir/big" && for i in $(seq -w 0 999); do : >"f$i"; done)
	cat "$dir/file" >/dev/null
}

print_machine() {
	local cpu commit
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
	echo "# capbox benchmarks"
	echo "machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	echo "kernel:  $(uname -r)"
	echo "tree:    $commit (working tree as built in $build), $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# The median of the numbers given as arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Runs one measurement; sets REPLY to the ns/op, "enosys: CALL" or "error: TEXT".
# Arguments: the variant, workload, iterations, and "pin" to run on CPU 0
# only.  Variants: native; capbox (as built, tracing off); notrace (the
# capbox built with TRACE=0, $BENCH_NOTRACE); traced (capbox --trace to
# a file in scratch, rewritten by each run).
run_one() {
	local out
	local -a pin=() capbox=("$build/capbox" run)
	[ "${4:-}" = pin ] && pin=(taskset -c 0)
	case $1 in
	notrace) capbox=("$BENCH_NOTRACE" run) ;;
	traced) capbox+=(--trace="$scratch/trace") ;;
	esac
	if [ "$1" = native ]; then
		out=$("${pin[@]}" "$bin/bench-native" "$2" "$3" "$scratch" 2>&1)
	else
		# shellcheck disable=SC2086
		out=$("${pin[@]}" "${capbox[@]}" ${BENCH_CAPBOX_OPTS:-} --fd out=stdout \
			--file-rw file="$scratch/file" --dir dir="$scratch" \
			--dir big="$scratch/big" --str workload="$2" \
			--int iters="$3" "$bin/bench-capbox" 2>&1)
	fi
	if [[ $out =~ ns_per_op=([0-9.]+) ]]; then
		REPLY=${BASH_REMATCH[1]}
	elif [[ $out =~ n/a\ \(ENOSYS\)\ in\ ([^[:space:]]*) ]]; then
		REPLY="enosys: ${BASH_REMATCH[1]}"
	else
		REPLY="error: $(printf '%s' "$out" | head -n 1)"
	fi
}

# sample SIDE ARGS...: run_one ARGS, its number added to the caller's
# array s_SIDE, or its failure kept in the caller's fail[SIDE].
sample() {
	local side=$1
	shift
	run_one "$@"
	if [[ $REPLY =~ ^[0-9] ]]; then
		eval "s_$side+=(\"\$REPLY\")"
	else
		fail[$side]=$REPLY
	fi
}

# Column text for a side: its median, "n/a (ENOSYS)" or "error".
side_column() {
	local failure=$1
	shift
	if [ -n "$failure" ]; then
		[[ $failure == enosys:* ]] && echo "n/a (ENOSYS)" || echo error
	else
		printf '%.1f\n' "$(median "$@")"
	fi
}

# The second column over the first (capbox/native), or "-".
ratio_of() {
	[[ $1 =~ ^[0-9] && $2 =~ ^[0-9] ]] || { echo -; return; }
	awk -v c="$2" -v n="$1" 'BEGIN { printf "%.2fx\n", c / n }'
}

# Prints one table row: the default placement (the scheduler's choice)
# and everything pinned to CPU 0, each native against capbox.
compare_workload() {
	local name=$1 iters=$2 goal=$3
	local -a s_native=() s_capbox=() s_native_pin=() s_capbox_pin=()
	local -A fail=()
	local r side
	for ((r = 0; r < rounds; r++)); do
		# ABBA order, so that neither side always runs second.
		local order="native capbox native_pin capbox_pin"
		((r % 2)) && order="capbox_pin native_pin capbox native"
		for side in $order; do
			[ -n "${fail[$side]:-}" ] && continue
			local placement=free
			[[ $side == *_pin ]] && placement=pin
			sample "$side" "${side%_pin}" "$name" "$iters" "$placement"
		done
	done
	local nat cap natp capp ratio met="-" goalcol="-"
	nat=$(side_column "${fail[native]:-}" "${s_native[@]}")
	cap=$(side_column "${fail[capbox]:-}" "${s_capbox[@]}")
	natp=$(side_column "${fail[native_pin]:-}" "${s_native_pin[@]}")
	capp=$(side_column "${fail[capbox_pin]:-}" "${s_capbox_pin[@]}")
	ratio=$(ratio_of "$nat" "$cap")
	if [ "$goal" != - ]; then
		goalcol="${goal}x"
		[ "$ratio" != - ] && met=$(awk -v r="${ratio%x}" -v g="$goal" \
			'BEGIN { print (r <= g) ? "yes" : "NO" }')
	fi
	printf "$ROW_FORMAT" "$name" "$nat" "$cap" "$ratio" "$goalcol" "$met" \
		"$natp" "$capp" "$(ratio_of "$natp" "$capp")"
	for side in native capbox; do
		[ -n "${fail[$side]:-}" ] && echo "    $side: ${fail[$side]}"
	done
	return 0
}

# One row of the tracing table: capbox as built with tracing off against
# the TRACE=0 build (every row), and, for a data-plane row, with --trace
# on (1/TRACE_DIVISOR of the iterations: a traced call costs microseconds;
# its median also goes to traced_ns[NAME]).  Alternating rounds, medians.
TRACE_FORMAT='%-19s %13s %13s %8s | %13s %8s\n'
TRACE_DIVISOR=20
# shellcheck disable=SC2034 # bench/run reads it
declare -A traced_ns=()
compare_tracing() {
	local name=$1 iters=$2 kind=$3
	local -a s_capbox=() s_notrace=() s_traced=()
	local -A fail=()
	local r side n
	local -a sides=(notrace capbox) order
	[ "$kind" = data-plane ] && sides+=(traced)
	for ((r = 0; r < rounds; r++)); do
		order=("${sides[@]}")
		if ((r % 2)); then # the other way round
			order=()
			for side in "${sides[@]}"; do order=("$side" "${order[@]}"); done
		fi
		for side in "${order[@]}"; do
			[ -n "${fail[$side]:-}" ] && continue
			n=$iters
			[ "$side" = traced ] && n=$(((iters + TRACE_DIVISOR - 1) / TRACE_DIVISOR))
			sample "$side" "$side" "$name" "$n"
		done
	done
	local cap notr traced="-"
	cap=$(side_column "${fail[capbox]:-}" "${s_capbox[@]}")
	notr=$(side_column "${fail[notrace]:-}" "${s_notrace[@]}")
	if [ "$kind" = data-plane ]; then
		traced=$(side_column "${fail[traced]:-}" "${s_traced[@]}")
		# shellcheck disable=SC2034 # bench/run reads it
		traced_ns[$name]=$traced
	fi
	printf "$TRACE_FORMAT" "$name" "$notr" "$cap" "$(ratio_of "$notr" "$cap")" \
		"$traced" "$(ratio_of "$cap" "$traced")"
	for side in "${sides[@]}"; do
		[ -n "${fail[$side]:-}" ] && echo "    $side: ${fail[$side]}"
	done
	return 0
}

# The budgets of the "budgets set" start-up row: each held by a cgroup
# where the host gives one, none ever reached by hello (issue 17).
BENCH_BUDGETS="--time-limit 1h --cpu-limit 1h --memory-limit 4G"

# Start-up: capbox run hello, with budgets set but not reached, native
# hello, native hello under bwrap, and capbox --version (the broker's
# executable alone: the floor of any run).
measure_startup() {
	local runs=$1 i v
	local abs_bin
	abs_bin=$(cd "$bin" && pwd)
	# shellcheck disable=SC2206
	local -a capbox_cmd=("$build/capbox" run ${BENCH_CAPBOX_OPTS:-} --fd out=stdout "$build/examples/hello/hello")
	# shellcheck disable=SC2206
	local -a budgets_cmd=("$build/capbox" run $BENCH_BUDGETS --fd out=stdout "$build/examples/hello/hello")
	local -a version_cmd=("$build/capbox" --version)
	local -a native_cmd=("$abs_bin/hello-native")
	local -a bwrap_cmd=(bwrap --unshare-all --die-with-parent --ro-bind /usr /usr
		--symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin
		--ro-bind "$abs_bin" "$abs_bin" "$abs_bin/hello-native")
	local bwrap_why=""
	if ! command -v bwrap >/dev/null; then
		bwrap_why="bwrap not installed (tools/install-deps installs bubblewrap)"
	elif ! bwrap_why=$("${bwrap_cmd[@]}" 2>&1 >/dev/null); then
		bwrap_why="bwrap cannot run here: ${bwrap_why:-exit status $?}"
	else
		bwrap_why=""
	fi
	local -a t_cap=() t_bud=() t_nat=() t_bw=() t_ver=()
	for ((i = 0; i < runs; i++)); do
		v=$("$bin/timeit" "${capbox_cmd[@]}") && t_cap+=("$v")
		v=$("$bin/timeit" "${budgets_cmd[@]}") && t_bud+=("$v")
		v=$("$bin/timeit" "${version_cmd[@]}") && t_ver+=("$v")
		v=$("$bin/timeit" "${native_cmd[@]}") && t_nat+=("$v")
		if [ -z "$bwrap_why" ]; then
			v=$("$bin/timeit" "${bwrap_cmd[@]}") && t_bw+=("$v")
		fi
	done
	printf '%-44s %10s %10s %6s\n' variant "median us" "min us" runs
	startup_row "native hello, run directly" "${t_nat[@]}"
	if [ -n "$bwrap_why" ]; then
		printf '%-44s %s\n' "native hello under bwrap --unshare-all" "n/a: $bwrap_why"
	else
		startup_row "native hello under bwrap --unshare-all" "${t_bw[@]}"
	fi
	startup_row "capbox run hello" "${t_cap[@]}"
	startup_row "capbox run hello, budgets set (not reached)" "${t_bud[@]}"
	startup_row "capbox --version (broker executable alone)" "${t_ver[@]}"
	local cap_med bw_med bud_med
	cap_med=$(median "${t_cap[@]}")
	bud_med=$(median "${t_bud[@]}")
	echo
	local said
	# shellcheck disable=SC2086
	said=$("$build/capbox" run --verbose $BENCH_BUDGETS --fd out=stdout \
		"$build/examples/hello/hello" 2>&1 >/dev/null)
	echo "budgets: $BENCH_BUDGETS; $(sed -n 's/^capbox: limit: \([a-z ]*\) [^:]*: \([^(:]*\)[ :].*/\1: \2/p' <<<"$said" |
		paste -sd ';' - | sed 's/;/; /g')"
	echo "budgets set but not reached: $(awk -v b="$bud_med" -v c="$cap_med" 'BEGIN { printf "%+.0f us (%.2fx)", (b - c) / 1000, b / c }') against capbox run hello"
	# The floor under that difference: the kernel's making and removing of
	# the same cgroups, empty, with nothing else (issue 17).
	local -a parents=()
	mapfile -t parents < <(sed -n 's/^capbox: limit: .*: cgroup v[12] [a-z]* (\(.*\)\/capbox-[0-9]*).*/\1/p' <<<"$said" | sort -u)
	if [ ${#parents[@]} -eq 0 ]; then
		echo "those cgroups alone: n/a (capbox gets no cgroup here)"
	else
		echo "those cgroups alone (made and removed empty, nothing else): $("$bin/cgroup_floor" "$runs" "${parents[@]}" || echo "n/a") us median"
	fi
	echo
	echo "goal: capbox run hello under 1000 us: $(awk -v c="$cap_med" 'BEGIN { print (c / 1000 < 1000) ? "yes" : "NO" }')"
	if [ -z "$bwrap_why" ]; then
		bw_med=$(median "${t_bw[@]}")
		echo "goal: capbox run hello faster than bwrap: $(awk -v c="$cap_med" -v b="$bw_med" 'BEGIN { print (c < b) ? "yes" : "NO" }')"
	fi
}

# One start-up row from nanosecond samples.
startup_row() {
	local label=$1
	shift
	if [ $# -eq 0 ]; then
		printf '%-44s %s\n' "$label" "error: every run failed"
		return
	fi
	local med min
	med=$(median "$@")
	min=$(printf '%s\n' "$@" | sort -g | head -n 1)
	printf '%-44s %10.0f %10.0f %6d\n' "$label" "$(awk -v v="$med" 'BEGIN { print v / 1000 }')" \
		"$(awk -v v="$min" 'BEGIN { print v / 1000 }')" $#
}

# The value of key=N in fleet's output.
fleet_value() {
	sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2" | head -n 1
}

# Footprint: N idle capbox sandboxes, then N idle native processes.
measure_footprint() {
	local n=$1 out
	printf "$FOOT_FORMAT" "" started "start/inst us" "PSS/inst KiB" \
		"top RSS KiB" "child RSS KiB" "MemAvail drop/inst" "Shmem/inst"
	out=$("$bin/fleet" "$n" "$build/capbox" run --fd out=stdout --fd in=stdin \
		--str workload=idle "$bin/bench-capbox" 2>&1)
	footprint_row "capbox (broker + guest)" "$out"
	local cap_out=$out
	out=$("$bin/fleet" "$n" "$bin/bench-native" idle 1 2>&1)
	footprint_row "native process (reference)" "$out"
	local pss drop worst
	pss=$(fleet_value pss_per_instance_kib "$cap_out")
	drop=$(fleet_value memavailable_drop_per_instance_kib "$cap_out")
	worst=$((pss > drop ? pss : drop))
	echo
	echo "top = capbox run, the launcher (native: the process); child = everything below it: the broker and the guest (shim + program)."
	echo "goal: under 1 MiB per additional sandbox (larger of PSS and MemAvailable drop, ${worst} KiB): $( [ "$worst" -lt 1024 ] && echo yes || echo NO)"
	if ! grep -q "ready=$n" <<<"$cap_out"; then
		echo "capbox fleet did not reach $n ready sandboxes:"
		printf '    %s\n' "${cap_out//$'\n'/$'\n'    }"
	fi
}

footprint_row() {
	local label=$1 out=$2
	local top_rss child_rss
	top_rss=$(sed -n 's/^top_process rss_kib=\([0-9]*\).*/\1/p' <<<"$out")
	child_rss=$(sed -n 's/^child_process rss_kib=\([0-9]*\).*/\1/p' <<<"$out")
	printf "$FOOT_FORMAT" "$label" \
		"$(fleet_value ready "$out")/$(fleet_value requested "$out")" \
		"$(fleet_value start_per_instance_us "$out")" \
		"$(fleet_value pss_per_instance_kib "$out")" "${top_rss:-?}" \
		"${child_rss:-?}" \
		"$(fleet_value memavailable_drop_per_instance_kib "$out")" \
		"$(fleet_value shmem_growth_per_instance_kib "$out")"
}

# Containers: start to exit of the hello image under podman, its CloudABI
# hello through capbox-oci against its static Linux hello through runc
# (tests/lib/oci.sh builds the image; alternating runs, medians).
measure_containers() {
	local runs=$1 i v reason
	BUILD=$build
	# shellcheck source=tests/lib/oci.sh
	. tests/lib/oci.sh
	reason=$(oci_reason)
	if [ -n "$reason" ]; then
		echo "n/a: $reason"
		return
	fi
	if ! oci_setup >/dev/null 2>&1; then
		echo "error: the hello image does not build"
		oci_cleanup
		return
	fi
	local -a t_cap=() t_runc=()
	for ((i = 0; i < runs; i++)); do
		v=$("$bin/timeit" "${oci_podman[@]}" run --rm --runtime "$capbox_oci" capbox-hello) &&
			t_cap+=("$v")
		v=$("$bin/timeit" "${oci_podman[@]}" run --rm --runtime runc capbox-hello \
			/hello-linux) && t_runc+=("$v")
	done
	oci_cleanup
	printf '%-44s %10s %10s %6s\n' variant "median us" "min us" runs
	startup_row "Linux hello, podman + runc" "${t_runc[@]}"
	startup_row "CloudABI hello, podman + capbox-oci" "${t_cap[@]}"
	if [ ${#t_cap[@]} -gt 0 ] && [ ${#t_runc[@]} -gt 0 ]; then
		echo
		echo "capbox-oci / runc (medians): $(ratio_of "$(median "${t_runc[@]}")" "$(median "${t_cap[@]}")")"
	fi
}
