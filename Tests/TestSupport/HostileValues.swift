/// Values that have broken shell scripts before: each must arrive as the exact bytes it is.
public let hostileValues = [
    "; touch MARKER", "$(touch MARKER)", "`touch MARKER`", "a\nb; touch MARKER", "it's", #"say "hi" \"#, "'; touch MARKER; '",
    "-oProxyCommand=touch MARKER", "*", "~", "$HOME", "${PATH}", "a b\tc", "", "!", "#comment", "x && touch MARKER",
    "| touch MARKER", "> MARKER", "\u{00e9}t\u{00e9} \u{1F680}", "back\\slash", "%s%n", "line\r\n",
]
