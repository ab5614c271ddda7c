# safedock completion for bash.
# Load it in the current shell:     source <(safedock completion bash)
# and for every new shell, add that line to ~/.bashrc, or save the script as
# ~/.local/share/bash-completion/completions/safedock (bash-completion loads it).
#
# safedock itself decides what completes (safedock __complete WORDS... prints one
# "value<TAB>description" line per candidate, then :files, :dirs or :none).
_safedock_complete() {
  local words=() i w
  # bash splits "--network=host" at "=" and "-H unix:///x" at ":": the words are joined again as
  # they were typed (safedock skips docker's global options by their values, whole).
  for ((i = 1; i <= COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if ((i > 1)) && [[ $w == [=:] || ${COMP_WORDS[i - 1]} == [=:] ]]; then
      words[${#words[@]} - 1]+=$w
    else
      words+=("$w")
    fi
  done
  local cur=${words[${#words[@]} - 1]} lines=()
  mapfile -t lines < <(command safedock __complete "${words[@]}" 2>/dev/null)
  ((${#lines[@]} > 0)) || return 0
  local directive=${lines[${#lines[@]} - 1]}
  unset 'lines[${#lines[@]}-1]'
  # bash replaces only its own current word: after "--flag=", the part after the "=" (or the
  # "=" itself when nothing follows it yet).
  local typed=${COMP_WORDS[COMP_CWORD]} lead= strip=
  if [[ $typed == [=:] ]]; then
    lead=$typed
    typed=
  fi
  [[ $cur != "$typed" ]] && strip=${cur%"$typed"}
  COMPREPLY=()
  for w in "${lines[@]}"; do
    w=${w%%$'\t'*}
    COMPREPLY+=("${w#"$strip"}")
  done
  if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then compopt -o nospace 2>/dev/null; fi
  local IFS=$'\n'
  case $directive in
  :files)
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$typed"))
    ;;
  :dirs)
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -d -- "$typed"))
    ;;
  esac
  if [[ -n $lead ]]; then
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]="$lead${COMPREPLY[i]}"; done
  fi
  return 0
}
complete -F _safedock_complete safedock
