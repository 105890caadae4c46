package checks

// A small JSON reader and writer for the test files (the vectors, the seed corpus, the reports):
// objects are LinkedHashMaps in document order, numbers Doubles. Test code only: the generated
// modules use the standard library alone, and so do these checks.

fun parseJson(text: String): Any? = JsonReader(text).run { val v = value(); space(); require(at == text.length) { "trailing text at $at" }; v }

private class JsonReader(val s: String) {
    var at = 0

    fun space() {
        while (at < s.length && s[at] in " \t\r\n") at++
    }

    fun value(): Any? {
        space()
        require(at < s.length) { "unexpected end" }
        return when (s[at]) {
            '{' -> {
                at++
                val map = LinkedHashMap<String, Any?>()
                space()
                if (s[at] == '}') {
                    at++
                } else {
                    do {
                        space()
                        val key = string()
                        space()
                        expect(':')
                        map[key] = value()
                        space()
                    } while (s[at++] == ',')
                }
                map
            }
            '[' -> {
                at++
                val list = ArrayList<Any?>()
                space()
                if (s[at] == ']') {
                    at++
                } else {
                    do {
                        list.add(value())
                        space()
                    } while (s[at++] == ',')
                }
                list
            }
            '"' -> string()
            't' -> { at += 4; true }
            'f' -> { at += 5; false }
            'n' -> { at += 4; null }
            else -> {
                val start = at
                while (at < s.length && s[at] in "+-0123456789.eE") at++
                s.substring(start, at).toDouble()
            }
        }
    }

    fun expect(c: Char) {
        require(s[at] == c) { "expected $c at $at" }
        at++
    }

    fun string(): String {
        expect('"')
        val out = StringBuilder()
        while (true) {
            val c = s[at++]
            when (c) {
                '"' -> return out.toString()
                '\\' -> {
                    when (val e = s[at++]) {
                        'u' -> { out.append(s.substring(at, at + 4).toInt(16).toChar()); at += 4 }
                        'n' -> out.append('\n')
                        'r' -> out.append('\r')
                        't' -> out.append('\t')
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000c')
                        else -> out.append(e)
                    }
                }
                else -> out.append(c)
            }
        }
    }
}

/** JSON text, ASCII only (every other character as \u escapes, lone surrogates included). */
fun toJson(value: Any?): String = StringBuilder().also { write(it, value) }.toString()

private fun write(out: StringBuilder, value: Any?) {
    when (value) {
        null -> out.append("null")
        is Boolean -> out.append(value)
        is Number -> out.append(value.toDouble().let { if (it == Math.floor(it) && Math.abs(it) < 1e15) it.toLong().toString() else it.toString() })
        is String -> {
            out.append('"')
            for (c in value) {
                when {
                    c == '"' -> out.append("\\\"")
                    c == '\\' -> out.append("\\\\")
                    c.code < 0x20 || c.code > 0x7e -> out.append("\\u").append(c.code.toString(16).padStart(4, '0'))
                    else -> out.append(c)
                }
            }
            out.append('"')
        }
        is Map<*, *> -> {
            out.append('{')
            value.entries.forEachIndexed { i, (k, v) -> if (i > 0) out.append(','); write(out, k.toString()); out.append(':'); write(out, v) }
            out.append('}')
        }
        is Iterable<*> -> {
            out.append('[')
            value.forEachIndexed { i, v -> if (i > 0) out.append(','); write(out, v) }
            out.append(']')
        }
        else -> write(out, value.toString())
    }
}

/** Deep equality of JSON values: objects ignore key order, numbers compare as doubles. */
fun jsonEquals(a: Any?, b: Any?): Boolean = when {
    a is Number && b is Number -> a.toDouble() == b.toDouble()
    a is Map<*, *> && b is Map<*, *> -> a.size == b.size && a.all { (k, v) -> b.containsKey(k) && jsonEquals(v, b[k]) }
    a is List<*> && b is List<*> -> a.size == b.size && a.indices.all { jsonEquals(a[it], b[it]) }
    else -> a == b
}
