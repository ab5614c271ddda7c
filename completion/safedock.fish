# safedock completion for fish.
# Load it in the current shell:   safedock completion fish | source
# and for every new shell, save it as ~/.config/fish/completions/safedock.fish
#
# safedock itself decides what completes (safedock __complete WORDS... prints one
# "value<TAB>description" line per candidate, then :files, :dirs or :none).
function __safedock_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    set -l out (command safedock __complete $words 2>/dev/null)
    or return
    set -l n (count $out)
    test $n -gt 0; or return
    if test $n -gt 1
        printf '%s\n' $out[1..(math $n - 1)]
    end
    switch $out[$n]
        case :files
            __fish_complete_path (commandline -ct)
        case :dirs
            __fish_complete_directories (commandline -ct)
    end
end
complete -c safedock -f -a '(__safedock_complete)'
