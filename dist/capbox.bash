# capbox.bash: bash completion for capbox (installed as share/bash-completion/completions/capbox).

_capbox()
{
	local cur prev words cword
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run --help --version" -- "$cur"))
		return
	fi
	[ "${COMP_WORDS[1]}" = run ] || return

	# After PROGRAM (or --) every word is a path: PROGRAM, then CONFIG.
	local i program_seen=0
	for ((i = 2; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) program_seen=1 ;;
		--*=* | -[a-z]) ;;
		--*)
			# an option that takes its value as the next word
			case ${COMP_WORDS[i]} in
			--fd | --dir | --dir-rw | --file | --file-rw | --str | --int | --bool | --socket | --trace-format | --trace-calls) ((i++)) ;;
			esac
			;;
		*) program_seen=1 ;;
		esac
	done

	case $cur in
	--*=*)
		# --dir NAME=PATH, --file=..., --untagged=...: complete what follows '='
		local value=${cur#*=}
		case $cur in
		--untagged=*) COMPREPLY=($(compgen -W "string guess" -- "$value")) ;;
		--trace-format=*) COMPREPLY=($(compgen -W "text json" -- "$value")) ;;
		--trace-calls=*)
			# a comma-separated list: complete its last word
			local done_part=${value%"${value##*,}"}
			COMPREPLY=($(compgen -P "$done_part" -W "file fd sock proc mem poll lock thread clock random" -- "${value##*,}"))
			;;
		*) COMPREPLY=($(compgen -f -- "$value")) ;;
		esac
		return
		;;
	*=*)
		case $prev in
		--dir | --dir-rw) COMPREPLY=($(compgen -d -- "${cur#*=}")) ;;
		--file | --file-rw) COMPREPLY=($(compgen -f -- "${cur#*=}")) ;;
		--fd) COMPREPLY=($(compgen -W "stdin stdout stderr" -- "${cur#*=}")) ;;
		--bool) COMPREPLY=($(compgen -W "true false" -- "${cur#*=}")) ;;
		esac
		return
		;;
	-*)
		if [ "$program_seen" -eq 0 ]; then
			local options
			options=$("${COMP_WORDS[0]}" run --help 2>/dev/null |
				grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
			COMPREPLY=($(compgen -W "$options" -- "$cur"))
		fi
		return
		;;
	esac
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _capbox capbox
