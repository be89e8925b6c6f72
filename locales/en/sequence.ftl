# netassist — en: variables, sequences and scripts. One message per key; { $var } are arguments.

vars-unclosed = Cannot send: the variable at position { $pos } is not closed — add {"}"} (write $${"{"} for a literal ${"{"})
vars-bad-name = Cannot send: ${"{"}{ $name }{"}"} at position { $pos } is not a variable — use seq, time, date, unix_ms, rand:LO:HI, rand_hex:N, rx, a group number or a name of letters, digits and _
vars-args-rand = Cannot send: ${"{"}{ $written }{"}"} at position { $pos } — write ${"{"}rand:LO:HI{"}"} with whole numbers LO ≤ HI, e.g. ${"{"}rand:0:255{"}"}
vars-args-rand-hex = Cannot send: ${"{"}{ $written }{"}"} at position { $pos } — write ${"{"}rand_hex:N{"}"} with N hex digits from 1 to 1024, e.g. ${"{"}rand_hex:4{"}"}
vars-args-group = Cannot send: ${"{"}{ $written }{"}"} at position { $pos } — a regex group is a number from 0 to 999, without arguments
vars-args-none = Cannot send: ${"{"}{ $written }{"}"} at position { $pos } — this variable takes no arguments after ':'
vars-unset = Cannot send: ${"{"}{ $name }{"}"} at position { $pos } has no value — no such regex group matched and no such variable is set
vars-unencodable = Cannot send: the value of the variable at position { $pos } has '{ $char }', which { $charset } cannot encode
vars-bad-hex = Cannot send: with the variables filled in, the hex is not valid: { $error } (in '{ $text }')
vars-seq-start = ${"{"}seq{"}"} start
vars-seq-step = step
vars-seq-next = next: { $value }
vars-seq-reset = Reset
vars-seq-reset-hover = Start ${"{"}seq{"}"} again from its start value
seq-header = Sequence
seq-run = Run
seq-step = Step
seq-step-hover = Run the next step only
seq-stop = Stop
seq-open = Open script…
seq-save-as = Save as script…
seq-passed = Every step passed
seq-failed = A step failed
seq-steps = Steps (script format, see docs/SCRIPTS.md)
seq-row = { $passed ->
    [yes] PASS
   *[no] FAIL
} line { $line }: { $step } ({ $ms })
seq-parse = The sequence cannot run: line { $line }, column { $col }: { $error }
seq-no-link = The sequence runs on the tab's connection: connect (or listen and accept a client, or open UDP) first
seq-stopped = Sequence stopped
seq-file = Cannot use the script file { $path }: { $error }
seq-steps-field = Sequence steps
seq-script-files = netassist script
