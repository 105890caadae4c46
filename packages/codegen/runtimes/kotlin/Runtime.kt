/*
 * The algorithm behind every generated Kotlin authorization module: the server's scan and the
 * documented grammar's, value decoding and encoding, and HeaderRuntime, which binds them to a
 * spec's tables and gives parse, format, validate and extract. The last section binds it to the
 * generated file in the same package (its TABLES, enums and Params). Kotlin standard library only.
 * Nothing here throws on any input string: failures are Result.Err values.
 *
 * A port of @mbauth/runtime (TypeScript); offsets are UTF-16 code units, as Kotlin strings are.
 */
package mbauth.runtime

// -------------------------------------------------------------------------------------------
// Results and errors
// -------------------------------------------------------------------------------------------

/** The result of every fallible function here. */
sealed interface Result<out A, out E> {
    data class Ok<out A>(val value: A) : Result<A, Nothing>
    data class Err<out E>(val error: E) : Result<Nothing, E>
}

/** A name from the spec: the generated enums implement it, [wire] is the name as the spec writes it. */
interface Named {
    val wire: String
}

/** The entry of the generated enum [E] whose name in the spec is [wire], or null. */
inline fun <reified E> named(wire: String): E? where E : Enum<E>, E : Named = enumValues<E>().firstOrNull { it.wire == wire }

/** How `toString` shows a secret value: never the value itself. */
fun mask(value: String?): String = if (value == null) "null" else "<redacted>"

/** `Strict` accepts exactly the documented grammar; `Compat` reads what the server reads. */
enum class ParseMode { Strict, Compat }

enum class ParseErrorCode {
    MissingScheme, UnknownScheme, LegacySchemeDisabled, InvalidKey, KeyCase, ExpectedEquals, UnquotedValue,
    InvalidCharacter, InvalidPercentEncoding, InvalidUtf8, UnterminatedQuote, ExpectedComma, TrailingComma, DuplicateKey,
}

/** A parse failure. Messages never quote the input's values: a header carries a token. */
data class ParseError(val code: ParseErrorCode, val message: String, val offset: Int)

enum class FormatErrorCode { UnencodableValue, UnknownScheme, UnknownStyle }

/** A format failure: [parameter] is the parameter at fault, or "scheme" / "style". */
data class FormatError(val code: FormatErrorCode, val parameter: String, val message: String)

enum class ValidationCode {
    MissingParameter, EmptyValue, WhiteSpaceToken, UnknownParameter, InvalidKey, UnencodableValue, UnknownOperation,
}

data class ValidationIssue(val code: ValidationCode, val parameter: String?, val message: String)

/** What `parse` reads: the scheme that matched, the known parameters, and the server's whole dictionary in first-seen order. */
data class ParsedHeader<S, P>(val scheme: S, val params: P, val dictionary: Map<String, String>) {
    override fun toString(): String = "ParsedHeader(scheme=$scheme, params=$params, dictionary=<${dictionary.size} entries>)"
}

/**
 * A request as the server sees it. Header and query names are matched ignoring ASCII case; a
 * repeated header or query parameter has several values.
 */
data class Request(
    val headers: Map<String, List<String>>,
    val query: Map<String, List<String>> = emptyMap(),
)

enum class WarningCode {
    DeprecatedTransport, TokenInQuery, MultipleTokens, WhiteSpaceToken, SchemeHeaderHidden, UnreadableSchemeHeader,
    LegacyDisabled, RepeatedValues, ExtraSchemeHeaderValues, NoLegacySwitch, UnknownProfile, SeparateValuesNotRead,
    ConflictingValues,
}

data class Warning<T>(val code: WarningCode, val message: String, val transport: T?)

/** Why a token-carrying value was not the one validated. */
enum class IgnoredReason { LegacyDisabled, NotReadByProfile, Shadowed }

data class Candidate<T>(val transport: T, val value: String, val ignored: IgnoredReason?) {
    override fun toString(): String = "Candidate(transport=$transport, value=<${value.length} chars>, ignored=$ignored)"
}

data class TokenSource<T>(val value: String, val transport: T) {
    override fun toString(): String = "TokenSource(value=<${value.length} chars>, transport=$transport)"
}

data class SchemeHeader<S, T, P>(val transport: T, val header: ParsedHeader<S, P>)

/** Where a parameter's value travels: inside the scheme header, or on its own as a header or query parameter. */
enum class Via { Scheme, Header, Query }

/**
 * A value of a parameter other than the token: [name] is the scheme header's transport (for
 * [Via.Scheme]) or the header or query name; [ignored] is null for the value the server takes,
 * else `Shadowed` or `NotReadByProfile`.
 */
data class ParameterValue(val parameter: String, val value: String, val via: Via, val name: String, val ignored: IgnoredReason?)

/** What the server would do with a request. */
data class Extraction<S, T, P>(
    /** The token the server would validate (first non-empty in the profile's order), or null. */
    val token: TokenSource<T>?,
    /** False when there is no token or it is white space only (the server treats the request as anonymous). */
    val hasToken: Boolean,
    /** Which scheme header supplied the client info, and what it said; null when none was read. */
    val authorization: SchemeHeader<S, T, P>?,
    /** Every token-carrying value present, in the profile's order, with whether the profile read it. */
    val candidates: List<Candidate<T>>,
    val warnings: List<Warning<T>>,
    /**
     * The parameters other than the token as the server takes them: from the scheme header it read
     * and, where the profile reads them, the separate values, by the profile's precedence (per
     * parameter, the first non-empty value).
     */
    val parameters: P,
    /** Every value behind [parameters], in declared parameter order, with where it travels and whether it was taken. */
    val parameterValues: List<ParameterValue>,
)

// -------------------------------------------------------------------------------------------
// Tables
// -------------------------------------------------------------------------------------------

enum class SchemeMatching { CaseInsensitive, CaseSensitive }
enum class ValueDecoding { FormUrlencoded, Percent, None }
enum class DuplicateKeys { Last, First }
enum class KeyTrimming { Dotnet, Ecmascript, None }
enum class EmptySegment { KeepPendingKey, ResetKey }
enum class TransportKind { Header, Query }
enum class Carries { Scheme, Token }
enum class Absent { Omit, Empty }
enum class HeaderEncoding { Percent, None }
enum class Precedence { SchemeHeader, SeparateValues }

data class Grammar(
    val schemeMatching: SchemeMatching,
    val valueDecoding: ValueDecoding,
    val duplicateKeys: DuplicateKeys,
    val keyTrimming: KeyTrimming,
    val emptySegment: EmptySegment,
    val repeatedValueSeparator: String,
)

data class SchemeTable<S : Named>(val id: S, val legacy: Boolean)
data class ParameterTable(val name: String, val secret: Boolean, val requiredFor: List<String>, val nonEmpty: Boolean)
data class TransportTable<T : Named>(
    val id: T,
    val kind: TransportKind,
    val key: String,
    val carries: Carries,
    val deprecated: Boolean,
    val discouraged: Boolean,
    val replacement: String?,
)
data class SourceTable<T : Named>(val transport: T, val gatedByLegacy: Boolean = false)

/** A parameter that can also travel on its own; [headerEncoding] `Percent`: a header value is decoded as the grammar's valueDecoding. */
data class SeparateValueTable(val parameter: String, val header: String?, val query: String?, val headerEncoding: HeaderEncoding)

/** How a profile reads the separate values: where it looks, in order, and which wins, per parameter, over the scheme header it read. */
data class SeparateValueReading(val read: List<TransportKind>, val precedence: Precedence)

data class ProfileTable<T : Named>(
    val name: String,
    val legacyDefault: Boolean?,
    val warnDeprecated: Boolean,
    val schemeHeaderOrder: List<SourceTable<T>>,
    val tokenOrder: List<SourceTable<T>>,
    /** Null: the profile never reads separate values. */
    val separateValues: SeparateValueReading? = null,
)
data class FormatStyleTable(val name: String, val order: List<String>, val absent: Absent, val separator: String)

/** The tables a generated module declares, as the algorithm reads them. */
data class Tables<S : Named, T : Named>(
    val schemes: List<SchemeTable<S>>,
    val grammar: Grammar,
    val operations: List<String>,
    val parameters: List<ParameterTable>,
    val tokenParameter: String,
    val transports: List<TransportTable<T>>,
    /** The parameters that can also travel outside the scheme header (none by default). */
    val separateValues: List<SeparateValueTable> = emptyList(),
    val profiles: List<ProfileTable<T>>,
    val formatStyles: List<FormatStyleTable>,
)

// -------------------------------------------------------------------------------------------
// Characters
// -------------------------------------------------------------------------------------------

/** .NET `char.IsWhiteSpace` (what .NET's `Trim()` removes): U+0085 included, U+FEFF not. */
fun isDotnetWhiteSpace(c: Char): Boolean {
    val x = c.code
    return (x in 0x09..0x0d) || x == 0x20 || x == 0x85 || x == 0xa0 || x == 0x1680 || (x in 0x2000..0x200a) ||
        x == 0x2028 || x == 0x2029 || x == 0x202f || x == 0x205f || x == 0x3000
}

// What ECMAScript's String.prototype.trim removes.
private fun isEcmaWhiteSpace(c: Char): Boolean = (isDotnetWhiteSpace(c) && c.code != 0x85) || c.code == 0xfeff

private fun isOws(c: Char): Boolean = c == ' ' || c == '\t'

private fun isAlphanumeric(c: Char): Boolean = c in '0'..'9' || c in 'A'..'Z' || c in 'a'..'z'

private fun hexValue(c: Char): Int = when (c) {
    in '0'..'9' -> c - '0'
    in 'A'..'F' -> c - 'A' + 10
    in 'a'..'f' -> c - 'a' + 10
    else -> -1
}

private fun isWhiteSpaceOnly(s: String): Boolean = s.all(::isDotnetWhiteSpace)

// ASCII case folding only: every name in the tables is ASCII.
private fun equalsIgnoreAsciiCase(a: String, b: String): Boolean {
    if (a.length != b.length) return false
    for (i in a.indices) if (asciiLower(a[i]) != asciiLower(b[i])) return false
    return true
}

private fun asciiLower(c: Char): Char = if (c in 'A'..'Z') c + 32 else c

// -------------------------------------------------------------------------------------------
// Decoding and encoding
// -------------------------------------------------------------------------------------------

/**
 * Percent-decoding as `System.Net.WebUtility.UrlDecode` does it: `%XY` is a byte, a `%` without
 * two hex digits after it stays, `+` is a space when [plusIsSpace]. Bytes decode as UTF-8 (one
 * U+FFFD per maximal invalid subpart); characters at or above U+0080 are copied through. With
 * [fatal], invalid UTF-8 gives null.
 */
fun decode(value: String, plusIsSpace: Boolean, fatal: Boolean = false): String? {
    if (value.indexOf('%') < 0 && !(plusIsSpace && value.indexOf('+') >= 0)) return value
    val out = StringBuilder(value.length)
    val pending = ArrayList<Int>() // decoded bytes >= 0x80 not yet decoded as UTF-8
    var literal = 0 // where the literal text not yet copied starts
    var i = 0
    while (i < value.length) {
        val c = value[i]
        var byte = -1
        if (c == '+' && plusIsSpace) {
            byte = 32
        } else if (c == '%' && i < value.length - 2) {
            val high = hexValue(value[i + 1])
            val low = hexValue(value[i + 2])
            if (high >= 0 && low >= 0) byte = high * 16 + low
        }
        if (byte >= 0) {
            // Any character but such a byte ends a UTF-8 sequence, so the pending bytes go first.
            if (literal < i || byte < 0x80) {
                if (!utf8(pending, fatal, out)) return null
                out.append(value, literal, i)
            }
            if (byte < 0x80) out.append(byte.toChar()) else pending.add(byte)
            if (c == '%') i += 2
            literal = i + 1
        }
        i++
    }
    if (literal == 0) return value
    if (!utf8(pending, fatal, out)) return null
    return out.append(value, literal, value.length).toString()
}

// Decodes and clears `bytes` into `out` as the WHATWG UTF-8 decoder does (what .NET and
// TextDecoder do); false on invalid UTF-8 when `fatal`.
private fun utf8(bytes: MutableList<Int>, fatal: Boolean, out: StringBuilder): Boolean {
    var needed = 0
    var seen = 0
    var codePoint = 0
    var lower = 0x80
    var upper = 0xbf
    var k = 0
    while (k < bytes.size) {
        val b = bytes[k]
        if (needed == 0) {
            when (b) {
                in 0x00..0x7f -> out.append(b.toChar())
                in 0xc2..0xdf -> { needed = 1; codePoint = b and 0x1f }
                in 0xe0..0xef -> {
                    if (b == 0xe0) lower = 0xa0
                    if (b == 0xed) upper = 0x9f
                    needed = 2
                    codePoint = b and 0x0f
                }
                in 0xf0..0xf4 -> {
                    if (b == 0xf0) lower = 0x90
                    if (b == 0xf4) upper = 0x8f
                    needed = 3
                    codePoint = b and 0x07
                }
                else -> {
                    if (fatal) return false
                    out.append('\uFFFD')
                }
            }
            k++
            continue
        }
        if (b < lower || b > upper) {
            // The sequence so far is one invalid subpart; this byte is read again as a new start.
            if (fatal) return false
            out.append('\uFFFD')
            needed = 0; seen = 0; codePoint = 0; lower = 0x80; upper = 0xbf
            continue
        }
        lower = 0x80
        upper = 0xbf
        codePoint = (codePoint shl 6) or (b and 0x3f)
        seen++
        if (seen == needed) {
            out.appendCodePoint(codePoint)
            needed = 0; seen = 0; codePoint = 0
        }
        k++
    }
    bytes.clear()
    if (needed != 0) {
        if (fatal) return false
        out.append('\uFFFD')
    }
    return true
}

private const val HEX = "0123456789ABCDEF"

private fun isUnreserved(c: Char): Boolean = isAlphanumeric(c) || c in "-_.!~*'()"

/** ECMAScript's `encodeURIComponent`: UTF-8, percent-encoded; null for a lone surrogate. */
fun encode(value: String): String? {
    if (value.all(::isUnreserved)) return value
    val out = StringBuilder(value.length * 3)
    var i = 0
    while (i < value.length) {
        val c = value[i]
        if (isUnreserved(c)) {
            out.append(c)
            i++
            continue
        }
        val codePoint: Int
        if (c.isHighSurrogate() && i + 1 < value.length && value[i + 1].isLowSurrogate()) {
            codePoint = Character.toCodePoint(c, value[i + 1])
            i += 2
        } else if (c.isSurrogate()) {
            return null
        } else {
            codePoint = c.code
            i++
        }
        for (b in utf8Bytes(codePoint)) out.append('%').append(HEX[b shr 4]).append(HEX[b and 0xf])
    }
    return out.toString()
}

private fun utf8Bytes(cp: Int): IntArray = when {
    cp < 0x80 -> intArrayOf(cp)
    cp < 0x800 -> intArrayOf(0xc0 or (cp shr 6), 0x80 or (cp and 0x3f))
    cp < 0x10000 -> intArrayOf(0xe0 or (cp shr 12), 0x80 or ((cp shr 6) and 0x3f), 0x80 or (cp and 0x3f))
    else -> intArrayOf(
        0xf0 or (cp shr 18), 0x80 or ((cp shr 12) and 0x3f), 0x80 or ((cp shr 6) and 0x3f), 0x80 or (cp and 0x3f),
    )
}

// -------------------------------------------------------------------------------------------
// Scanners
// -------------------------------------------------------------------------------------------

/** What a scanner reports, in order. `keyStart` is -1 for a segment stored under "" (no pending key). */
interface ScanSink {
    fun key(start: Int, end: Int, equals: Int) {}
    fun value(keyStart: Int, keyEnd: Int, start: Int, end: Int)
    fun emptySegment(comma: Int) {}
}

/**
 * The server's scan (Jellyfin's `GetParts`) of [input] from [from]: a `"` toggles the quotes;
 * outside them, `=` sets the pending key to the trimmed text before it, and `,` stores the segment
 * before it under the pending key. It never fails: an unterminated quote runs to the end, and its
 * offset is returned (-1: none).
 */
fun walkCompat(input: String, from: Int, grammar: Grammar, sink: ScanSink): Int {
    val isKeySpace: (Char) -> Boolean = when (grammar.keyTrimming) {
        KeyTrimming.Dotnet -> ::isDotnetWhiteSpace
        KeyTrimming.Ecmascript -> ::isEcmaWhiteSpace
        KeyTrimming.None -> { _ -> false }
    }
    var start = from
    var keyStart = -1 // the pending key, or -1
    var keyEnd = -1
    var i = from
    while (i < input.length) {
        when (input[i]) {
            '"' -> {
                // Inside quotes only the closing quote matters.
                val close = input.indexOf('"', i + 1)
                if (close < 0) {
                    if (start < input.length) sink.value(keyStart, keyEnd, start, input.length)
                    return i
                }
                i = close
            }
            ',' -> {
                if (start < i) {
                    sink.value(keyStart, keyEnd, start, i)
                    keyStart = -1
                    keyEnd = -1
                } else {
                    sink.emptySegment(i)
                    if (grammar.emptySegment == EmptySegment.ResetKey) {
                        keyStart = -1
                        keyEnd = -1
                    }
                }
                start = i + 1
            }
            '=' -> {
                keyStart = start
                keyEnd = i
                while (keyStart < keyEnd && isKeySpace(input[keyStart])) keyStart++
                while (keyEnd > keyStart && isKeySpace(input[keyEnd - 1])) keyEnd--
                sink.key(keyStart, keyEnd, i)
                start = i + 1
            }
        }
        i++
    }
    if (start < input.length) sink.value(keyStart, keyEnd, start, input.length)
    return -1
}

private fun isPlainValueChar(c: Char): Boolean = isUnreserved(c) || c == '+'

/**
 * The documented grammar, from [from]: `OWS [ key "=" DQUOTE value DQUOTE *( "," OWS key "="
 * DQUOTE value DQUOTE ) ] OWS`, keys of ASCII letters and digits, each key once, values of
 * unreserved characters, `+` and `%XX` escapes of UTF-8. Reports the steps [walkCompat] would
 * report for the same input, and returns the first deviation, if any. [known] are the parameter
 * names, so that a key differing from one only in case is reported.
 */
fun walkStrict(input: String, from: Int, known: List<String>, plusIsSpace: Boolean, sink: ScanSink): ParseError? {
    val n = input.length
    val seen = HashSet<String>()
    fun fail(code: ParseErrorCode, offset: Int, message: String) = ParseError(code, message, offset)
    var i = from
    while (i < n && isOws(input[i])) i++
    if (i == n) return null
    while (true) {
        val keyStart = i
        while (i < n && isAlphanumeric(input[i])) i++
        if (i == keyStart) return fail(ParseErrorCode.InvalidKey, i, "expected a key made of ASCII letters and digits")
        if (i == n || input[i] != '=') {
            return if (i < n && !isOws(input[i]) && input[i] != ',') {
                fail(ParseErrorCode.InvalidKey, i, "keys may only contain ASCII letters and digits")
            } else {
                fail(ParseErrorCode.ExpectedEquals, i, "expected \"=\" directly after the key")
            }
        }
        val keyEnd = i
        val key = input.substring(keyStart, keyEnd)
        if (!seen.add(key)) return fail(ParseErrorCode.DuplicateKey, keyStart, "the key $key appears more than once")
        val sameName = if (key in known) null else known.firstOrNull { it.lowercase() == key.lowercase() }
        if (sameName != null) {
            return fail(ParseErrorCode.KeyCase, keyStart, "keys are case-sensitive: the server reads $sameName, not $key")
        }
        sink.key(keyStart, keyEnd, keyEnd)
        i++ // "="
        if (i == n || input[i] != '"') {
            return fail(ParseErrorCode.UnquotedValue, i, "the value of $key must be wrapped in double quotes")
        }
        val quote = i++
        var escapes = false
        while (i < n && input[i] != '"') {
            while (i < n && isPlainValueChar(input[i])) i++
            if (i == n || input[i] == '"') break
            val c = input[i]
            if (c != '%') {
                val hex = c.code.toString(16).uppercase().padStart(4, '0')
                return fail(ParseErrorCode.InvalidCharacter, i, "the value of $key holds U+$hex, which must be percent-encoded")
            }
            if (i + 2 >= n || hexValue(input[i + 1]) < 0 || hexValue(input[i + 2]) < 0) {
                return fail(ParseErrorCode.InvalidPercentEncoding, i, "\"%\" must be followed by two hexadecimal digits")
            }
            escapes = true
            i += 3
        }
        if (i == n) return fail(ParseErrorCode.UnterminatedQuote, quote, "the value of $key has no closing quote")
        if (escapes && decode(input.substring(quote + 1, i), plusIsSpace, fatal = true) == null) {
            return fail(ParseErrorCode.InvalidUtf8, quote + 1, "the percent-encoded bytes of $key are not valid UTF-8")
        }
        i++ // closing quote
        sink.value(keyStart, keyEnd, quote, i)
        val afterQuote = i
        while (i < n && isOws(input[i])) i++
        if (i == n) return null
        if (input[i] != ',') return fail(ParseErrorCode.ExpectedComma, i, "expected \",\" between parameters")
        // The server keeps `" ` before a comma in the value (`Token="abc" ,` reads `abc" `).
        if (i > afterQuote) {
            return fail(
                ParseErrorCode.ExpectedComma,
                afterQuote,
                "expected \",\" directly after the closing quote: the server keeps white space before the comma in the value",
            )
        }
        val comma = i++
        while (i < n && isOws(input[i])) i++
        if (i == n) return fail(ParseErrorCode.TrailingComma, comma, "the parameter list must not end with \",\"")
    }
}

// -------------------------------------------------------------------------------------------
// The algorithm bound to a spec's tables
// -------------------------------------------------------------------------------------------

/**
 * The algorithm bound to a spec's tables: [S] and [T] are the spec's scheme and transport names,
 * [P] its parameters ([toParams] builds them from the dictionary's known keys).
 */
class HeaderRuntime<S : Named, T : Named, P>(
    private val tables: Tables<S, T>,
    private val toParams: (Map<String, String>) -> P,
) {
    private val grammar = tables.grammar
    private val plusIsSpace = grammar.valueDecoding == ValueDecoding.FormUrlencoded
    private val parameterNames = tables.parameters.map { it.name }
    private val defaultScheme = (tables.schemes.firstOrNull { !it.legacy } ?: tables.schemes.firstOrNull())?.id?.wire ?: ""

    // A raw value without its leading and trailing quotes, decoded.
    private fun decodeValue(input: String, from: Int, to: Int): String {
        var start = from
        var end = to
        while (start < end && input[start] == '"') start++
        while (end > start && input[end - 1] == '"') end--
        val raw = input.substring(start, end)
        return if (grammar.valueDecoding == ValueDecoding.None) raw else decode(raw, plusIsSpace) ?: raw
    }

    private fun matchScheme(value: String, legacy: Boolean): Result<S, ParseError> {
        val space = value.indexOf(' ')
        if (space < 0) {
            return Result.Err(
                ParseError(ParseErrorCode.MissingScheme, "there is no space after the scheme, so no parameters are read", value.length),
            )
        }
        if (space == 0) return Result.Err(ParseError(ParseErrorCode.MissingScheme, "the value starts with a space, so the scheme is empty", 0))
        val head = value.substring(0, space)
        val scheme = tables.schemes.firstOrNull {
            it.id.wire == head || (grammar.schemeMatching == SchemeMatching.CaseInsensitive && equalsIgnoreAsciiCase(head, it.id.wire))
        }
        if (scheme == null) {
            val names = tables.schemes.joinToString(", ") { it.id.wire }
            return Result.Err(
                ParseError(ParseErrorCode.UnknownScheme, "the scheme (the $space characters before the first space) is not one of: $names", 0),
            )
        }
        if (scheme.legacy && !legacy) {
            return Result.Err(
                ParseError(
                    ParseErrorCode.LegacySchemeDisabled,
                    "the ${scheme.id.wire} scheme is only accepted while legacy authorization is enabled",
                    0,
                ),
            )
        }
        return Result.Ok(scheme.id)
    }

    /** Parses a header value (`<scheme> <parameters>`). */
    fun parse(value: String, mode: ParseMode = ParseMode.Compat, legacy: Boolean = true): Result<ParsedHeader<S, P>, ParseError> {
        val scheme = when (val r = matchScheme(value, legacy)) {
            is Result.Ok -> r.value
            is Result.Err -> return r
        }
        val dictionary = LinkedHashMap<String, String>()
        val sink = object : ScanSink {
            override fun value(keyStart: Int, keyEnd: Int, start: Int, end: Int) {
                val key = if (keyStart < 0) "" else value.substring(keyStart, keyEnd)
                if (grammar.duplicateKeys == DuplicateKeys.Last || key !in dictionary) dictionary[key] = decodeValue(value, start, end)
            }
        }
        val from = value.indexOf(' ') + 1
        if (mode == ParseMode.Strict) {
            val error = walkStrict(value, from, parameterNames, plusIsSpace, sink)
            if (error != null) return Result.Err(error)
        } else {
            walkCompat(value, from, grammar, sink)
        }
        val known = LinkedHashMap<String, String>()
        for (name in parameterNames) dictionary[name]?.let { known[name] = it }
        return Result.Ok(ParsedHeader(scheme, toParams(known), dictionary))
    }

    /**
     * Writes a header value in the format style named [style] (default `canonical`), with the scheme
     * named [scheme] (default: the first non-legacy one).
     */
    fun format(params: Map<String, String>, style: String? = null, scheme: String? = null): Result<String, FormatError> {
        val styleName = style ?: "canonical"
        val schemeName = scheme ?: defaultScheme
        val table = tables.formatStyles.firstOrNull { it.name == styleName }
            ?: return Result.Err(FormatError(FormatErrorCode.UnknownStyle, "style", "unknown format style"))
        if (tables.schemes.none { it.id.wire == schemeName }) {
            val names = tables.schemes.joinToString(", ") { it.id.wire }
            return Result.Err(FormatError(FormatErrorCode.UnknownScheme, "scheme", "the scheme must be one of: $names"))
        }
        val header = StringBuilder(schemeName).append(' ')
        var separator = ""
        for (name in table.order) {
            val raw = params[name]
            if (raw == null && table.absent == Absent.Omit) continue
            val encoded = if (raw == null) "" else encode(raw)
                ?: return Result.Err(
                    FormatError(
                        FormatErrorCode.UnencodableValue,
                        name,
                        "the value of $name contains a lone UTF-16 surrogate, which has no UTF-8 encoding",
                    ),
                )
            header.append(separator).append(name).append("=\"").append(encoded).append('"')
            separator = table.separator
        }
        return Result.Ok(header.toString())
    }

    /** What the server would object to for the operation named [operation]. */
    fun validate(params: Map<String, String>, operation: String): List<ValidationIssue> {
        val issues = ArrayList<ValidationIssue>()
        if (operation !in tables.operations) {
            issues.add(ValidationIssue(ValidationCode.UnknownOperation, null, "unknown operation $operation"))
        }
        for (p in tables.parameters) {
            val v = params[p.name]
            if (operation in p.requiredFor && (v == null || v == "")) {
                issues.add(ValidationIssue(ValidationCode.MissingParameter, p.name, "${p.name} is required for $operation"))
            } else if (v == "" && p.nonEmpty) {
                issues.add(ValidationIssue(ValidationCode.EmptyValue, p.name, "${p.name} must not be empty"))
            }
            if (p.name == tables.tokenParameter && v != null && v != "" && isWhiteSpaceOnly(v)) {
                issues.add(
                    ValidationIssue(
                        ValidationCode.WhiteSpaceToken,
                        p.name,
                        "a white-space-only ${p.name} blocks every other token source yet counts as no token",
                    ),
                )
            }
            if (v != null && encode(v) == null) {
                issues.add(ValidationIssue(ValidationCode.UnencodableValue, p.name, "the value of ${p.name} contains a lone UTF-16 surrogate"))
            }
        }
        for (key in params.keys) {
            if (key in parameterNames) continue
            issues.add(
                if (key.isNotEmpty() && key.all(::isAlphanumeric)) {
                    ValidationIssue(ValidationCode.UnknownParameter, key, "the server does not read $key")
                } else {
                    ValidationIssue(ValidationCode.InvalidKey, key, "keys may only contain ASCII letters and digits")
                },
            )
        }
        return issues
    }

    // Each profile's orders resolved to transports (a transport the token order names twice is read once).
    private class Reading<T : Named>(
        val profile: ProfileTable<T>,
        val schemeOrder: List<Pair<TransportTable<T>, Boolean>>,
        val tokenOrder: List<Pair<TransportTable<T>, Boolean>>,
        val unread: List<TransportTable<T>>,
    )

    private val readings: Map<String, Reading<T>> = tables.profiles.associate { profile ->
        fun sources(order: List<SourceTable<T>>) =
            order.flatMap { s -> tables.transports.filter { it.id == s.transport }.map { it to s.gatedByLegacy } }
        val tokenOrder = sources(profile.tokenOrder).distinctBy { it.first.id }
        profile.name to Reading(
            profile,
            sources(profile.schemeHeaderOrder),
            tokenOrder,
            tables.transports.filter { t -> tokenOrder.none { it.first == t } },
        )
    }

    /** What the server running the profile named [profile] would do with [request]; [legacy] is its legacy switch (default: the profile's). */
    fun extract(request: Request, profile: String, legacy: Boolean? = null): Extraction<S, T, P> {
        val warnings = ArrayList<Warning<T>>()
        val reading = readings[profile]
        if (reading == null) {
            warnings.add(Warning(WarningCode.UnknownProfile, "unknown profile: nothing is read", null))
            return Extraction(null, false, null, emptyList(), warnings, toParams(emptyMap()), emptyList())
        }
        val table = reading.profile
        if (table.legacyDefault == null && legacy != null) {
            warnings.add(Warning(WarningCode.NoLegacySwitch, "${table.name} has no legacy switch; every transport it knows is read", null))
        }
        val legacyOn = if (table.legacyDefault == null) true else legacy ?: table.legacyDefault

        val values = HashMap<TransportTable<T>, MutableList<String>>()
        collect(values, request.headers, TransportKind.Header)
        collect(values, request.query, TransportKind.Query)
        fun valuesFor(t: TransportTable<T>): List<String> = values[t] ?: emptyList()
        fun joined(t: TransportTable<T>): String? = valuesFor(t).let { if (it.isEmpty()) null else it.joinToString(grammar.repeatedValueSeparator) }
        // Each scheme header's first value, parsed as if it were read (with legacy on), once.
        val parsed = HashMap<TransportTable<T>, Result<ParsedHeader<S, P>, ParseError>>()
        fun parsedAt(t: TransportTable<T>): Result<ParsedHeader<S, P>, ParseError>? {
            val first = if (t.carries == Carries.Scheme) valuesFor(t).firstOrNull() else null
            if (first == null) return null
            return parsed.getOrPut(t) { parse(first, ParseMode.Compat, true) }
        }
        fun tokenIn(t: TransportTable<T>): String? {
            if (t.carries == Carries.Token) return joined(t)
            val p = parsedAt(t)
            return if (p is Result.Ok) p.value.dictionary[tables.tokenParameter] else null
        }
        fun deprecated(t: TransportTable<T>) = Warning(
            WarningCode.DeprecatedTransport,
            "${t.id.wire} is deprecated${if (t.replacement == null) "" else "; use ${t.replacement}"}",
            t.id,
        )

        // 1. The scheme header: the first in order, falling back to the next only while the joined
        //    value is absent or empty. Gated headers are skipped while legacy is off. Only the
        //    first value of the chosen header is parsed.
        val order = reading.schemeOrder
        var chosenAt = -1
        for ((k, source) in order.withIndex()) {
            val (transport, gated) = source
            if (gated && !legacyOn) {
                if (valuesFor(transport).any { it != "" }) {
                    warnings.add(
                        Warning(
                            WarningCode.LegacyDisabled,
                            "${transport.id.wire} is ignored while legacy authorization is disabled: no client info or token is read from it",
                            transport.id,
                        ),
                    )
                }
                continue
            }
            chosenAt = k
            val v = joined(transport)
            if (v != null && v != "") break
        }
        val chosen = if (chosenAt < 0) null else order[chosenAt].first
        var authorization: SchemeHeader<S, T, P>? = null
        val first = if (chosen == null) null else valuesFor(chosen).firstOrNull()
        if (chosen != null && first != null) {
            val count = valuesFor(chosen).size
            if (count > 1) {
                warnings.add(
                    Warning(WarningCode.ExtraSchemeHeaderValues, "${chosen.id.wire} was sent $count times; only the first is read", chosen.id),
                )
            }
            val result = if (legacyOn) parsedAt(chosen) else parse(first, ParseMode.Compat, false)
            if (result is Result.Ok) {
                if (chosen.carries == Carries.Scheme) authorization = SchemeHeader(chosen.id, result.value)
            } else if (result is Result.Err && first != "") {
                warnings.add(
                    Warning(
                        if (result.error.code == ParseErrorCode.LegacySchemeDisabled) WarningCode.LegacyDisabled else WarningCode.UnreadableSchemeHeader,
                        "${chosen.id.wire} gives no client info and no token: ${result.error.message}",
                        chosen.id,
                    ),
                )
                // A foreign credential (a proxy's Basic, a wrong scheme) hides a usable later header.
                for ((transport, gated) in order.drop(chosenAt + 1)) {
                    if ((gated && !legacyOn) || parsedAt(transport) !is Result.Ok) continue
                    warnings.add(
                        Warning(
                            WarningCode.SchemeHeaderHidden,
                            "${chosen.id.wire} is not empty, so ${transport.id.wire} is never read although it holds a usable header",
                            transport.id,
                        ),
                    )
                }
            }
        }

        // 2. The token: the first non-empty value in the profile's order ("" falls through).
        val candidates = ArrayList<Candidate<T>>()
        var token: TokenSource<T>? = null
        for ((t, gated) in reading.tokenOrder) {
            val value = tokenIn(t) ?: continue
            val ignored = when {
                gated && !legacyOn -> IgnoredReason.LegacyDisabled
                // Not the header that was read: hidden by it, or read but refused for its legacy scheme.
                t.carries == Carries.Scheme && (authorization == null || t != chosen) ->
                    if (t == chosen && !legacyOn) IgnoredReason.LegacyDisabled else IgnoredReason.Shadowed
                token != null -> IgnoredReason.Shadowed
                else -> null
            }
            if (ignored == null && value != "") token = TokenSource(value, t.id)
            candidates.add(Candidate(t.id, value, ignored))
            val count = valuesFor(t).size
            if (t.carries == Carries.Token && count > 1) {
                warnings.add(
                    Warning(
                        WarningCode.RepeatedValues,
                        "${t.id.wire} was sent $count times; the server joins the values with \"${grammar.repeatedValueSeparator}\" into one token",
                        t.id,
                    ),
                )
            }
        }
        for (t in reading.unread) {
            val value = tokenIn(t) ?: continue
            candidates.add(Candidate(t.id, value, IgnoredReason.NotReadByProfile))
        }

        // 3. Warnings about the transports in use.
        if (authorization != null && chosen != null && table.warnDeprecated && chosen.deprecated) warnings.add(deprecated(chosen))
        for (candidate in candidates) {
            val t = tables.transports.firstOrNull { it.id == candidate.transport } ?: continue
            if (candidate.ignored == IgnoredReason.LegacyDisabled && t.carries == Carries.Token) {
                warnings.add(Warning(WarningCode.LegacyDisabled, "${t.id.wire} is ignored while legacy authorization is disabled", t.id))
            }
            if (candidate.ignored != null || t.carries == Carries.Scheme) continue
            if (t.deprecated && table.warnDeprecated) warnings.add(deprecated(t))
            if (t.kind == TransportKind.Query && candidate.value != "") {
                val instead = if (t.replacement == null) "" else "; prefer ${t.replacement}"
                warnings.add(
                    Warning(WarningCode.TokenInQuery, "a token in the ${t.id.wire} query parameter leaks into logs and history$instead", t.id),
                )
            }
        }
        val sent = candidates.filter { it.value != "" }
        if (sent.size > 1) {
            val distinct = sent.map { it.value }.toSet().size
            val validated = if (token == null) "none of them" else "only the one from ${token.transport.wire}"
            warnings.add(
                Warning(
                    WarningCode.MultipleTokens,
                    "${sent.size} tokens were sent (${if (distinct == 1) "all equal" else "$distinct different values"}); the server validates $validated",
                    null,
                ),
            )
        }
        val hasToken = token != null && !isWhiteSpaceOnly(token.value)
        if (token != null && !hasToken) {
            warnings.add(
                Warning(
                    WarningCode.WhiteSpaceToken,
                    "the token from ${token.transport.wire} is white space only: it blocks every later source, yet the request is anonymous",
                    token.transport,
                ),
            )
        }
        val (parameters, parameterValues) = parametersOf(table, request, authorization, warnings)
        return Extraction(token, hasToken, authorization, candidates, warnings, parameters, parameterValues)
    }

    // 4. The parameters other than the token: per parameter, the scheme header's value and the
    //    separate values in the profile's precedence, the first non-empty one taken.
    private fun parametersOf(
        profile: ProfileTable<T>,
        request: Request,
        authorization: SchemeHeader<S, T, P>?,
        warnings: MutableList<Warning<T>>,
    ): Pair<P, List<ParameterValue>> {
        val reading = profile.separateValues
        val kinds = reading?.read ?: listOf(TransportKind.Header, TransportKind.Query)
        val parameters = LinkedHashMap<String, String>()
        val parameterValues = ArrayList<ParameterValue>()
        val unread = ArrayList<String>()
        for (parameter in parameterNames) {
            if (parameter == tables.tokenParameter) continue
            val scheme = listOfNotNull(
                authorization?.let { a -> a.header.dictionary[parameter]?.let { ParameterValue(parameter, it, Via.Scheme, a.transport.wire, null) } },
            )
            val table = tables.separateValues.firstOrNull { it.parameter == parameter }
            val separate = kinds.mapNotNull { kind ->
                val name = (if (kind == TransportKind.Header) table?.header else table?.query) ?: return@mapNotNull null
                val raw = valueOf(if (kind == TransportKind.Header) request.headers else request.query, name) ?: return@mapNotNull null
                val encoded = kind == TransportKind.Header && table?.headerEncoding == HeaderEncoding.Percent
                val value = if (encoded && grammar.valueDecoding != ValueDecoding.None) decode(raw, plusIsSpace) ?: raw else raw
                ParameterValue(parameter, value, if (kind == TransportKind.Header) Via.Header else Via.Query, name, null)
            }
            val read = when (reading?.precedence) {
                null -> scheme
                Precedence.SchemeHeader -> scheme + separate
                Precedence.SeparateValues -> separate + scheme
            }
            val takenAt = read.indexOfFirst { it.value != "" }.let { if (it < 0 && read.isNotEmpty()) 0 else it }
            val taken = read.getOrNull(takenAt)
            if (taken != null) parameters[parameter] = taken.value
            for ((k, v) in read.withIndex()) {
                if (k == takenAt) {
                    parameterValues.add(v)
                    continue
                }
                parameterValues.add(v.copy(ignored = IgnoredReason.Shadowed))
                if (taken != null && v.value != "" && v.value != taken.value) {
                    warnings.add(
                        Warning(
                            WarningCode.ConflictingValues,
                            "${describe(v)} differs from ${describe(taken)}; the server takes ${describe(taken)}",
                            null,
                        ),
                    )
                }
            }
            if (reading == null) {
                for (v in separate) {
                    parameterValues.add(v.copy(ignored = IgnoredReason.NotReadByProfile))
                    unread.add(v.name)
                }
            }
        }
        if (unread.isNotEmpty()) {
            warnings.add(
                Warning(
                    WarningCode.SeparateValuesNotRead,
                    "${profile.name} does not read ${unread.joinToString(", ")}: send these values inside the scheme header",
                    null,
                ),
            )
        }
        return toParams(parameters) to parameterValues
    }

    private fun describe(v: ParameterValue): String = when (v.via) {
        Via.Scheme -> "${v.name}'s ${v.parameter}"
        Via.Header -> "the ${v.name} header"
        Via.Query -> "the ${v.name} query parameter"
    }

    // Every value of a request's header or query parameter [key] (ASCII case ignored), joined as
    // the server joins repeated values; null when absent.
    private fun valueOf(record: Map<String, List<String>>, key: String): String? {
        val values = record.filterKeys { equalsIgnoreAsciiCase(it, key) }.values.flatten()
        return if (values.isEmpty()) null else values.joinToString(grammar.repeatedValueSeparator)
    }

    // What a request carries for each transport of a kind (the server's StringValues): every value
    // under a name equal to the transport's key ignoring ASCII case, in the map's order.
    private fun collect(into: MutableMap<TransportTable<T>, MutableList<String>>, record: Map<String, List<String>>, kind: TransportKind) {
        for ((name, list) in record) {
            for (t in tables.transports) {
                if (t.kind != kind || !equalsIgnoreAsciiCase(name, t.key)) continue
                into.getOrPut(t) { ArrayList() }.addAll(list)
            }
        }
    }
}

// -------------------------------------------------------------------------------------------
// The operations, typed by the names the generated file in this package declares
// -------------------------------------------------------------------------------------------

private val RUNTIME = HeaderRuntime(TABLES) { Params.fromMap(it) }

/**
 * Parses a header value (`<scheme> <parameters>`): `Strict` follows the documented grammar,
 * `Compat` (the default) reads what the server reads.
 */
fun parse(value: String, mode: ParseMode = ParseMode.Compat, legacy: Boolean = true): Result<ParsedHeader<SchemeName, Params>, ParseError> =
    RUNTIME.parse(value, mode, legacy)

/**
 * Writes a header value in a format style (default `canonical`: declared order, quoted,
 * percent-encoded) with a scheme (default: the first non-legacy one).
 */
fun format(params: Params, style: FormatStyle? = null, scheme: SchemeName? = null): Result<String, FormatError> =
    RUNTIME.format(params.toMap(), style?.wire, scheme?.wire)

/** What the server would object to for this operation. */
fun validate(params: Params, operation: Operation): List<ValidationIssue> = RUNTIME.validate(params.toMap(), operation.wire)

/** What the server would object to for this operation, for parameters from an untyped source: unknown and invalid keys too. */
fun validate(params: Map<String, String>, operation: Operation): List<ValidationIssue> = RUNTIME.validate(params, operation.wire)

/** Which token the server would validate and from where, which header gives the client info, the client's values as the server takes them, and what looks wrong. */
fun extract(request: Request, profile: ProfileName, legacy: Boolean? = null): Extraction<SchemeName, TransportName, Params> =
    RUNTIME.extract(request, profile.wire, legacy)
