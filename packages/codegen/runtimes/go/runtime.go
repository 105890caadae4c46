package mbauth

// The algorithm behind a generated authorization module: the server's scan and the documented
// grammar's, value decoding and encoding, and Parse, Format, Validate and Extract over the
// spec's tables, which the generated file in this package declares (its names as constants of
// the name types below, its tables, and `spec`, which binds them). Standard library only; no
// function panics on any input, and every offset is in UTF-16 code units, like the vectors'.

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// SchemeName is the name of a scheme.
type SchemeName string

// ParameterName is the name of a parameter (the exact-case key the server reads).
type ParameterName string

// TransportName is the name of a transport.
type TransportName string

// ProfileName is the name of a server profile.
type ProfileName string

// OperationName is the name of an operation Validate knows.
type OperationName string

// StyleName is the name of a Format style.
type StyleName string

// Parse reads a header value ("<scheme> <parameters>"). Its error is a *ParseError.
func Parse(value string, options ParseOptions) (ParsedHeader, error) {
	return spec.parse(value, options)
}

// Format writes a header value in a style. Its error is a *FormatError.
func Format(params Params, options FormatOptions) (string, error) {
	return spec.format(params, options)
}

// Validate lists what the server would object to in params for an operation.
func Validate(params Params, operation OperationName) []ValidationIssue {
	return spec.validate(params, operation)
}

// Extract says what the server would do with a request: which token it validates, from where,
// what looks wrong, and the client values (the parameters other than the token) it takes.
func Extract(request Request, options ExtractOptions) Extraction {
	return spec.extract(request, options)
}

// GrammarRules are the grammar rules that vary between specs.
type GrammarRules struct {
	SchemeMatching         string // "case-insensitive" or "case-sensitive"
	ValueDecoding          string // "form-urlencoded", "percent" or "none"
	DuplicateKeys          string // "last" or "first"
	KeyTrimming            string // "dotnet", "ecmascript" or "none"
	EmptySegment           string // "keep-pending-key" or "reset-key"
	RepeatedValueSeparator string
}

// Scheme is one scheme of the spec.
type Scheme struct {
	Name        SchemeName
	Legacy      bool
	Description string
}

// Operation is one operation Validate knows.
type Operation struct {
	Name        OperationName
	Description string
}

// Parameter is one known parameter.
type Parameter struct {
	Name        ParameterName
	Description string
	Secret      bool
	RequiredFor []OperationName
	NonEmpty    bool
}

// Transport is one place a request can carry the scheme or a token.
type Transport struct {
	Name        TransportName
	Kind        string // "header" or "query"
	Key         string
	Carries     string // "scheme" or "token"
	Deprecated  bool
	Discouraged bool
	Replacement TransportName // "" when there is none
	Description string
}

// Source is one step of a profile's order.
type Source struct {
	Transport     TransportName
	GatedByLegacy bool
}

// SeparateValue is a parameter that can also travel on its own, outside the scheme header, in a
// header or query parameter of its own. Names are matched ignoring ASCII case.
type SeparateValue struct {
	Parameter ParameterName
	Header    string // "" when it never travels in a header
	Query     string // "" when it never travels in the query
	// HeaderEncoding is "percent" (a header value is decoded as the grammar's ValueDecoding) or
	// "none" (read as is).
	HeaderEncoding string
	Description    string
}

// SeparateValueReading says how a profile reads the separate values: where it looks, in order,
// and which wins, per parameter, when the scheme header it read says otherwise.
type SeparateValueReading struct {
	Read       []string // "header" and "query", in the order looked at
	Precedence string   // "scheme-header" or "separate-values"
}

// Profile says how one server chooses the scheme header and the token.
type Profile struct {
	Name        ProfileName
	Description string
	// HasLegacySwitch is false for a server without a legacy switch (everything is read).
	HasLegacySwitch   bool
	LegacyDefault     bool
	WarnDeprecated    bool
	SchemeHeaderOrder []Source
	TokenOrder        []Source
	// SeparateValues is nil for a server that never reads separate values.
	SeparateValues *SeparateValueReading
}

// Style is one output style of Format.
type Style struct {
	Name        StyleName
	Description string
	Order       []ParameterName
	Absent      string // "omit" or "empty"
	Separator   string
}

// tables is what the algorithm reads: the generated file binds it to the spec's tables.
type tables struct {
	schemes        []Scheme
	grammar        GrammarRules
	operations     []Operation
	parameters     []Parameter
	tokenParameter ParameterName
	transports     []Transport
	separateValues []SeparateValue
	profiles       []Profile
	styles         []Style
}

// Params are parameter values by name, decoded. Absent parameters have no entry.
type Params map[ParameterName]string

// Entry is one key of a parsed header with its decoded value.
type Entry struct {
	Key   string
	Value string
}

// Dictionary is every key and decoded value of a header, in first-seen order (compat: unknown
// keys and the "" key too).
type Dictionary []Entry

// Get returns the value stored under key.
func (d Dictionary) Get(key string) (string, bool) {
	for _, e := range d {
		if e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

// ParseMode chooses the grammar Parse reads.
type ParseMode string

const (
	// Compat reads the dictionary the server builds, quirks included, and fails only where the
	// server reads no dictionary at all (no space, unknown or disabled scheme). The default.
	Compat ParseMode = "compat"
	// Strict accepts exactly the documented grammar and reports the first deviation.
	Strict ParseMode = "strict"
)

// ParseOptions are the options of Parse. The zero value reads like the server, legacy schemes
// included.
type ParseOptions struct {
	Mode ParseMode
	// NoLegacy refuses the legacy schemes.
	NoLegacy bool
}

// ParsedHeader is what Parse read.
type ParsedHeader struct {
	// Scheme is the canonical name of the scheme that matched.
	Scheme SchemeName
	// Params are the known parameters, read with their exact-case keys.
	Params Params
	// Dictionary is every key and decoded value, in first-seen order.
	Dictionary Dictionary
}

// ParseErrorCode says why Parse failed.
type ParseErrorCode string

// The codes of a ParseError.
const (
	MissingScheme          ParseErrorCode = "MissingScheme"
	UnknownScheme          ParseErrorCode = "UnknownScheme"
	LegacySchemeDisabled   ParseErrorCode = "LegacySchemeDisabled"
	InvalidKey             ParseErrorCode = "InvalidKey"
	KeyCase                ParseErrorCode = "KeyCase"
	ExpectedEquals         ParseErrorCode = "ExpectedEquals"
	UnquotedValue          ParseErrorCode = "UnquotedValue"
	InvalidCharacter       ParseErrorCode = "InvalidCharacter"
	InvalidPercentEncoding ParseErrorCode = "InvalidPercentEncoding"
	InvalidUtf8            ParseErrorCode = "InvalidUtf8"
	UnterminatedQuote      ParseErrorCode = "UnterminatedQuote"
	ExpectedComma          ParseErrorCode = "ExpectedComma"
	TrailingComma          ParseErrorCode = "TrailingComma"
	DuplicateKey           ParseErrorCode = "DuplicateKey"
)

// ParseError is a parse failure. Its message never quotes the input's values: a header carries a
// token.
type ParseError struct {
	Code    ParseErrorCode
	Message string
	// Offset is in UTF-16 code units into the parsed string (a Go string's bytes are UTF-8; an
	// invalid byte counts as one unit).
	Offset int
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s at offset %d: %s", e.Code, e.Offset, e.Message)
}

// FormatErrorCode says why Format failed.
type FormatErrorCode string

// The codes of a FormatError.
const (
	UnencodableValue    FormatErrorCode = "UnencodableValue"
	UnknownFormatScheme FormatErrorCode = "UnknownScheme"
	UnknownStyle        FormatErrorCode = "UnknownStyle"
)

// FormatError is a value Format cannot write.
type FormatError struct {
	Code FormatErrorCode
	// Parameter is the parameter at fault, or "scheme" or "style".
	Parameter string
	Message   string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s (%s): %s", e.Code, e.Parameter, e.Message)
}

// FormatOptions are the options of Format. The zero value writes the canonical style with the
// first non-legacy scheme.
type FormatOptions struct {
	Style StyleName
	// Scheme must be one of the spec's scheme names ("" for the default).
	Scheme string
}

// IssueCode names what Validate found.
type IssueCode string

// The codes of a ValidationIssue.
const (
	MissingParameter     IssueCode = "MissingParameter"
	EmptyValue           IssueCode = "EmptyValue"
	WhiteSpaceTokenIssue IssueCode = "WhiteSpaceToken"
	UnknownParameter     IssueCode = "UnknownParameter"
	InvalidKeyIssue      IssueCode = "InvalidKey"
	UnencodableIssue     IssueCode = "UnencodableValue"
	UnknownOperation     IssueCode = "UnknownOperation"
)

// ValidationIssue is one thing the server would object to.
type ValidationIssue struct {
	Code      IssueCode
	Parameter string // "" when the issue is not about one parameter
	Message   string
}

// Request is a request as the server sees it: http.Header and url.Values convert to its fields.
// Names are matched ignoring ASCII case; names that match the same transport are read in sorted
// order, each with its values in order.
type Request struct {
	Header map[string][]string
	Query  map[string][]string
}

// ExtractOptions are the options of Extract.
type ExtractOptions struct {
	Profile ProfileName
	// Legacy is the legacy switch; nil is the profile's default (ignored when it has none).
	Legacy *bool
}

// WarningCode names what Extract warns about.
type WarningCode string

// The codes of a Warning.
const (
	DeprecatedTransport     WarningCode = "DeprecatedTransport"
	TokenInQuery            WarningCode = "TokenInQuery"
	MultipleTokens          WarningCode = "MultipleTokens"
	WhiteSpaceToken         WarningCode = "WhiteSpaceToken"
	SchemeHeaderHidden      WarningCode = "SchemeHeaderHidden"
	UnreadableSchemeHeader  WarningCode = "UnreadableSchemeHeader"
	LegacyDisabled          WarningCode = "LegacyDisabled"
	RepeatedValues          WarningCode = "RepeatedValues"
	ExtraSchemeHeaderValues WarningCode = "ExtraSchemeHeaderValues"
	NoLegacySwitch          WarningCode = "NoLegacySwitch"
	UnknownProfile          WarningCode = "UnknownProfile"
	SeparateValuesNotRead   WarningCode = "SeparateValuesNotRead"
	ConflictingValues       WarningCode = "ConflictingValues"
)

// Warning is one thing that looks wrong in a request.
type Warning struct {
	Code      WarningCode
	Message   string
	Transport TransportName // "" when the warning is not about one transport
}

// IgnoredReason says why a token-carrying value was not the one validated, or a parameter's value
// not the one taken.
type IgnoredReason string

// The reasons of a Candidate.
const (
	// Read: the profile read this value.
	Read IgnoredReason = ""
	// IgnoredLegacyDisabled: the legacy switch is off.
	IgnoredLegacyDisabled IgnoredReason = "LegacyDisabled"
	// NotReadByProfile: the profile never reads this transport (or these separate values).
	NotReadByProfile IgnoredReason = "NotReadByProfile"
	// Shadowed: a value earlier in the order, or the header read instead of this one, won.
	Shadowed IgnoredReason = "Shadowed"
)

// Candidate is one token-carrying value a request holds.
type Candidate struct {
	Transport TransportName
	Value     string
	Ignored   IgnoredReason
}

// Token is the token the server validates and where it came from.
type Token struct {
	Value     string
	Transport TransportName
}

// Via says where a parameter's value travels.
type Via string

// The places of a ParameterValue.
const (
	// ViaScheme: inside the scheme header the profile read.
	ViaScheme Via = "scheme"
	// ViaHeader: in a header of its own.
	ViaHeader Via = "header"
	// ViaQuery: in a query parameter of its own.
	ViaQuery Via = "query"
)

// ParameterValue is one value of a parameter other than the token, and where it travels.
type ParameterValue struct {
	Parameter ParameterName
	Value     string
	Via       Via
	// Name is the scheme header's transport name (ViaScheme), or the header or query name.
	Name string
	// Ignored is Read for the value the server takes, else Shadowed or NotReadByProfile.
	Ignored IgnoredReason
}

// Authorization is the scheme header that supplied the client info, and what it said.
type Authorization struct {
	Transport TransportName
	Header    ParsedHeader
}

// Extraction is what the server would do with a request.
type Extraction struct {
	// Token is the first non-empty token in the profile's order, or nil.
	Token *Token
	// HasToken is false when there is no token or it is white space only (the request is anonymous).
	HasToken bool
	// Authorization is nil when no scheme header was read.
	Authorization *Authorization
	// Candidates are every token-carrying value present, in the profile's order.
	Candidates []Candidate
	Warnings   []Warning
	// Parameters are the parameters other than the token as the server takes them: from the scheme
	// header it read and, where the profile reads them, the separate values, by the profile's
	// precedence (per parameter, the first non-empty value).
	Parameters Params
	// ParameterValues are every value behind Parameters, in declared parameter order, with where
	// each travels and whether it was taken.
	ParameterValues []ParameterValue
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

// isDotnetWhiteSpace is .NET's char.IsWhiteSpace (what Trim removes): U+0085 in, U+FEFF out.
func isDotnetWhiteSpace(r rune) bool {
	return (r >= 0x09 && r <= 0x0d) || r == 0x20 || r == 0x85 || r == 0xa0 || r == 0x1680 ||
		(r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000
}

// isEcmaWhiteSpace is what String.prototype.trim removes.
func isEcmaWhiteSpace(r rune) bool { return (isDotnetWhiteSpace(r) && r != 0x85) || r == 0xfeff }

func isOws(c byte) bool { return c == ' ' || c == '\t' }

func isAlphanumeric(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

func isWhiteSpaceOnly(s string) bool {
	for _, r := range s {
		if !isDotnetWhiteSpace(r) {
			return false
		}
	}
	return true
}

// equalsIgnoreASCIICase folds ASCII letters only: an ordinal ignore-case comparison never maps a
// non-ASCII character onto an ASCII one (strings.EqualFold would match "ſ" with "s").
func equalsIgnoreASCIICase(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if asciiLower(a[i]) != asciiLower(b[i]) {
			return false
		}
	}
	return true
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

// utf16Offset converts a byte offset into s to UTF-16 code units.
func utf16Offset(s string, byteOffset int) int {
	n := 0
	for _, r := range s[:byteOffset] {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// ---------------------------------------------------------------------------------------------
// Decoding and encoding
// ---------------------------------------------------------------------------------------------

// decode is System.Net.WebUtility.UrlDecode: %XY is a byte, a % without two hex digits after it
// stays, + is a space when plusIsSpace. Decoded bytes are read as UTF-8 with one U+FFFD for each
// maximal invalid subpart; literal text is copied through. With fatal, invalid UTF-8 gives false.
func decode(value string, plusIsSpace, fatal bool) (string, bool) {
	if !strings.Contains(value, "%") && !(plusIsSpace && strings.Contains(value, "+")) {
		return value, true
	}
	var out strings.Builder
	var pending []byte // decoded bytes >= 0x80 not yet read as UTF-8
	flush := func() bool {
		if len(pending) == 0 {
			return true
		}
		ok := appendUTF8(&out, pending, fatal)
		pending = pending[:0]
		return ok
	}
	literal := 0 // where the literal text not yet copied starts
	for i := 0; i < len(value); i++ {
		c := value[i]
		b := -1
		if c == '+' && plusIsSpace {
			b = ' '
		} else if c == '%' && i < len(value)-2 {
			high, low := hexValue(value[i+1]), hexValue(value[i+2])
			if high >= 0 && low >= 0 {
				b = high*16 + low
			}
		}
		if b < 0 {
			continue
		}
		if literal < i || b < 0x80 {
			if !flush() {
				return "", false
			}
			out.WriteString(value[literal:i])
		}
		if b < 0x80 {
			out.WriteByte(byte(b))
		} else {
			pending = append(pending, byte(b))
		}
		if c == '%' {
			i += 2
		}
		literal = i + 1
	}
	if !flush() {
		return "", false
	}
	out.WriteString(value[literal:])
	return out.String(), true
}

// appendUTF8 decodes bytes as the WHATWG (and .NET) UTF-8 decoder does: one U+FFFD for each
// maximal subpart of an invalid sequence. With fatal it stops at the first one and gives false.
func appendUTF8(out *strings.Builder, b []byte, fatal bool) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out.WriteByte(c)
			i++
			continue
		}
		need, lo, hi := 0, byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need = 1
		case c == 0xe0:
			need, lo = 2, 0xa0
		case c == 0xed:
			need, hi = 2, 0x9f
		case c >= 0xe1 && c <= 0xef:
			need = 2
		case c == 0xf0:
			need, lo = 3, 0x90
		case c == 0xf4:
			need, hi = 3, 0x8f
		case c >= 0xf1 && c <= 0xf3:
			need = 3
		}
		j := i + 1
		for k := 0; k < need && j < len(b) && b[j] >= lo && b[j] <= hi; k++ {
			j++
			lo, hi = 0x80, 0xbf
		}
		if need == 0 || j-i-1 < need {
			if fatal {
				return false
			}
			out.WriteRune(utf8.RuneError)
		} else {
			out.Write(b[i:j])
		}
		i = j
	}
	return true
}

// encode is encodeURIComponent: every byte but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX. A string
// that is not valid UTF-8 (a JavaScript lone surrogate arrives as one) has no encoding.
func encode(value string) (string, bool) {
	if !utf8.ValidString(value) {
		return "", false
	}
	const hex = "0123456789ABCDEF"
	var out strings.Builder
	for i := 0; i < len(value); i++ {
		c := value[i]
		if isAlphanumeric(c) || strings.IndexByte("-_.!~*'()", c) >= 0 {
			out.WriteByte(c)
		} else {
			out.WriteByte('%')
			out.WriteByte(hex[c>>4])
			out.WriteByte(hex[c&15])
		}
	}
	return out.String(), true
}

// ---------------------------------------------------------------------------------------------
// Scanners
// ---------------------------------------------------------------------------------------------

// storeFunc receives a segment stored under the key input[keyStart:keyEnd] (keyStart -1: the ""
// key), its raw value input[start:end], quotes included. Offsets are bytes.
type storeFunc func(keyStart, keyEnd, start, end int)

// walkCompat is the server's scan (Jellyfin's GetParts) from from: a " toggles the quotes;
// outside them, = sets the pending key to the trimmed text before it, and , stores the segment
// before it under the pending key. It never fails: an unterminated quote runs to the end.
func walkCompat(input string, from int, grammar *GrammarRules, store storeFunc) {
	isKeySpace := func(rune) bool { return false }
	switch grammar.KeyTrimming {
	case "dotnet":
		isKeySpace = isDotnetWhiteSpace
	case "ecmascript":
		isKeySpace = isEcmaWhiteSpace
	}
	start, keyStart, keyEnd := from, -1, -1
	for i := from; i < len(input); i++ {
		switch input[i] {
		case '"':
			// Inside quotes only the closing quote matters.
			close := strings.IndexByte(input[i+1:], '"')
			if close < 0 {
				if start < len(input) {
					store(keyStart, keyEnd, start, len(input))
				}
				return
			}
			i += close + 1
		case ',':
			if start < i {
				store(keyStart, keyEnd, start, i)
				keyStart, keyEnd = -1, -1
			} else if grammar.EmptySegment == "reset-key" {
				keyStart, keyEnd = -1, -1
			}
			start = i + 1
		case '=':
			keyStart, keyEnd = start, i
			for keyStart < keyEnd {
				r, size := utf8.DecodeRuneInString(input[keyStart:keyEnd])
				if !isKeySpace(r) || r == utf8.RuneError {
					break
				}
				keyStart += size
			}
			for keyEnd > keyStart {
				r, size := utf8.DecodeLastRuneInString(input[keyStart:keyEnd])
				if !isKeySpace(r) || r == utf8.RuneError {
					break
				}
				keyEnd -= size
			}
			start = i + 1
		}
	}
	if start < len(input) {
		store(keyStart, keyEnd, start, len(input))
	}
}

// isPlainValueByte: value characters that need no check, the unreserved ones and +.
func isPlainValueByte(c byte) bool {
	return isAlphanumeric(c) || strings.IndexByte("-_.!~*'()+", c) >= 0
}

// walkStrict is the documented grammar from from: OWS [ key "=" DQUOTE value DQUOTE *( ","
// OWS key "=" DQUOTE value DQUOTE ) ] OWS, keys of ASCII letters and digits, each key once,
// values of unreserved characters, + and %XX escapes of UTF-8. It stores what walkCompat would
// store for the same input, and returns the first deviation with a byte offset.
func walkStrict(input string, from int, known []ParameterName, plusIsSpace bool, store storeFunc) *ParseError {
	n := len(input)
	seen := map[string]bool{}
	fail := func(code ParseErrorCode, offset int, message string) *ParseError {
		return &ParseError{Code: code, Message: message, Offset: offset}
	}
	i := from
	for i < n && isOws(input[i]) {
		i++
	}
	if i == n {
		return nil
	}
	for {
		keyStart := i
		for i < n && isAlphanumeric(input[i]) {
			i++
		}
		if i == keyStart {
			return fail(InvalidKey, i, "expected a key made of ASCII letters and digits")
		}
		if i == n || input[i] != '=' {
			if i < n && !isOws(input[i]) && input[i] != ',' {
				return fail(InvalidKey, i, "keys may only contain ASCII letters and digits")
			}
			return fail(ExpectedEquals, i, `expected "=" directly after the key`)
		}
		keyEnd := i
		key := input[keyStart:keyEnd]
		if seen[key] {
			return fail(DuplicateKey, keyStart, fmt.Sprintf("the key %s appears more than once", key))
		}
		seen[key] = true
		if sameName, found := caseVariant(known, key); found {
			return fail(KeyCase, keyStart, fmt.Sprintf("keys are case-sensitive: the server reads %s, not %s", sameName, key))
		}
		i++ // =
		if i == n || input[i] != '"' {
			return fail(UnquotedValue, i, fmt.Sprintf("the value of %s must be wrapped in double quotes", key))
		}
		quote := i
		i++
		escapes := false
		for ; i < n && input[i] != '"'; i++ {
			for i < n && isPlainValueByte(input[i]) {
				i++
			}
			if i == n || input[i] == '"' {
				break
			}
			if input[i] != '%' {
				r, _ := utf8.DecodeRuneInString(input[i:])
				return fail(InvalidCharacter, i, fmt.Sprintf("the value of %s holds U+%04X, which must be percent-encoded", key, r))
			}
			if i+2 >= n || hexValue(input[i+1]) < 0 || hexValue(input[i+2]) < 0 {
				return fail(InvalidPercentEncoding, i, `"%" must be followed by two hexadecimal digits`)
			}
			escapes = true
			i += 2
		}
		if i == n {
			return fail(UnterminatedQuote, quote, fmt.Sprintf("the value of %s has no closing quote", key))
		}
		if escapes {
			if _, ok := decode(input[quote+1:i], plusIsSpace, true); !ok {
				return fail(InvalidUtf8, quote+1, fmt.Sprintf("the percent-encoded bytes of %s are not valid UTF-8", key))
			}
		}
		i++ // the closing quote
		store(keyStart, keyEnd, quote, i)
		afterQuote := i
		for i < n && isOws(input[i]) {
			i++
		}
		if i == n {
			return nil
		}
		if input[i] != ',' {
			return fail(ExpectedComma, i, `expected "," between parameters`)
		}
		// The server keeps `" ` before a comma in the value (`Token="abc" ,` reads `abc" `). At
		// the very end it is harmless: HTTP servers trim it.
		if i > afterQuote {
			return fail(ExpectedComma, afterQuote,
				`expected "," directly after the closing quote: the server keeps white space before the comma in the value`)
		}
		comma := i
		i++
		for i < n && isOws(input[i]) {
			i++
		}
		if i == n {
			return fail(TrailingComma, comma, `the parameter list must not end with ","`)
		}
	}
}

// caseVariant finds the known name key differs from only in ASCII case.
func caseVariant(known []ParameterName, key string) (ParameterName, bool) {
	for _, name := range known {
		if string(name) == key {
			return "", false
		}
	}
	for _, name := range known {
		if equalsIgnoreASCIICase(string(name), key) {
			return name, true
		}
	}
	return "", false
}

// ---------------------------------------------------------------------------------------------
// parse, format, validate
// ---------------------------------------------------------------------------------------------

func (t *tables) plusIsSpace() bool { return t.grammar.ValueDecoding == "form-urlencoded" }

// decodeValue is a raw value without its leading and trailing quotes, decoded.
func (t *tables) decodeValue(raw string) string {
	raw = strings.Trim(raw, `"`)
	if t.grammar.ValueDecoding == "none" {
		return raw
	}
	decoded, _ := decode(raw, t.plusIsSpace(), false)
	return decoded
}

func (t *tables) parameterNames() []ParameterName {
	names := make([]ParameterName, len(t.parameters))
	for i, p := range t.parameters {
		names[i] = p.Name
	}
	return names
}

func (t *tables) matchScheme(value string, legacy bool) (SchemeName, *ParseError) {
	space := strings.IndexByte(value, ' ')
	if space < 0 {
		return "", &ParseError{MissingScheme, "there is no space after the scheme, so no parameters are read", utf16Offset(value, len(value))}
	}
	if space == 0 {
		return "", &ParseError{MissingScheme, "the value starts with a space, so the scheme is empty", 0}
	}
	head := value[:space]
	for _, s := range t.schemes {
		if string(s.Name) != head && !(t.grammar.SchemeMatching == "case-insensitive" && equalsIgnoreASCIICase(head, string(s.Name))) {
			continue
		}
		if s.Legacy && !legacy {
			return "", &ParseError{LegacySchemeDisabled, fmt.Sprintf("the %s scheme is only accepted while legacy authorization is enabled", s.Name), 0}
		}
		return s.Name, nil
	}
	names := make([]string, len(t.schemes))
	for i, s := range t.schemes {
		names[i] = string(s.Name)
	}
	return "", &ParseError{UnknownScheme, fmt.Sprintf("the scheme (the %d characters before the first space) is not one of: %s",
		utf16Offset(value, space), strings.Join(names, ", ")), 0}
}

func (t *tables) parse(value string, options ParseOptions) (ParsedHeader, error) {
	scheme, failure := t.matchScheme(value, !options.NoLegacy)
	if failure != nil {
		return ParsedHeader{}, failure
	}
	// Sized for a typical header: most hold a handful of keys.
	dictionary := make(Dictionary, 0, 8)
	index := make(map[string]int, 8)
	store := func(keyStart, keyEnd, start, end int) {
		key := ""
		if keyStart >= 0 {
			key = value[keyStart:keyEnd]
		}
		at, seen := index[key]
		if !seen {
			index[key] = len(dictionary)
			dictionary = append(dictionary, Entry{key, t.decodeValue(value[start:end])})
		} else if t.grammar.DuplicateKeys == "last" {
			dictionary[at].Value = t.decodeValue(value[start:end])
		}
	}
	from := strings.IndexByte(value, ' ') + 1
	if options.Mode == Strict {
		if failure := walkStrict(value, from, t.parameterNames(), t.plusIsSpace(), store); failure != nil {
			failure.Offset = utf16Offset(value, failure.Offset)
			return ParsedHeader{}, failure
		}
	} else {
		walkCompat(value, from, &t.grammar, store)
	}
	params := make(Params, len(t.parameters))
	for _, p := range t.parameters {
		if at, ok := index[string(p.Name)]; ok {
			params[p.Name] = dictionary[at].Value
		}
	}
	return ParsedHeader{Scheme: scheme, Params: params, Dictionary: dictionary}, nil
}

func (t *tables) format(params Params, options FormatOptions) (string, error) {
	styleName := options.Style
	if styleName == "" {
		styleName = "canonical"
	}
	var style *Style
	for i := range t.styles {
		if t.styles[i].Name == styleName {
			style = &t.styles[i]
		}
	}
	if style == nil {
		return "", &FormatError{UnknownStyle, "style", "unknown format style"}
	}
	scheme := options.Scheme
	if scheme == "" {
		scheme = string(t.defaultScheme())
	}
	names := make([]string, len(t.schemes))
	known := false
	for i, s := range t.schemes {
		names[i] = string(s.Name)
		known = known || string(s.Name) == scheme
	}
	if !known {
		return "", &FormatError{UnknownFormatScheme, "scheme", "the scheme must be one of: " + strings.Join(names, ", ")}
	}
	var header strings.Builder
	header.WriteString(scheme)
	header.WriteByte(' ')
	separator := ""
	for _, name := range style.Order {
		raw, present := params[name]
		if !present && style.Absent == "omit" {
			continue
		}
		encoded, ok := encode(raw)
		if !ok {
			return "", &FormatError{UnencodableValue, string(name),
				fmt.Sprintf("the value of %s is not valid UTF-8 (a lone UTF-16 surrogate, or bytes that are no text), which has no encoding", name)}
		}
		header.WriteString(separator)
		header.WriteString(string(name))
		header.WriteString(`="`)
		header.WriteString(encoded)
		header.WriteByte('"')
		separator = style.Separator
	}
	return header.String(), nil
}

func (t *tables) defaultScheme() SchemeName {
	for _, s := range t.schemes {
		if !s.Legacy {
			return s.Name
		}
	}
	if len(t.schemes) > 0 {
		return t.schemes[0].Name
	}
	return ""
}

func (t *tables) validate(params Params, operation OperationName) []ValidationIssue {
	issues := []ValidationIssue{}
	knownOperation := false
	for _, o := range t.operations {
		knownOperation = knownOperation || o.Name == operation
	}
	if !knownOperation {
		issues = append(issues, ValidationIssue{UnknownOperation, "", fmt.Sprintf("unknown operation %s", operation)})
	}
	for _, p := range t.parameters {
		v, present := params[p.Name]
		required := false
		for _, o := range p.RequiredFor {
			required = required || o == operation
		}
		if required && v == "" {
			issues = append(issues, ValidationIssue{MissingParameter, string(p.Name), fmt.Sprintf("%s is required for %s", p.Name, operation)})
		} else if present && v == "" && p.NonEmpty {
			issues = append(issues, ValidationIssue{EmptyValue, string(p.Name), fmt.Sprintf("%s must not be empty", p.Name)})
		}
		if p.Name == t.tokenParameter && v != "" && isWhiteSpaceOnly(v) {
			issues = append(issues, ValidationIssue{WhiteSpaceTokenIssue, string(p.Name),
				fmt.Sprintf("a white-space-only %s blocks every other token source yet counts as no token", p.Name)})
		}
		if _, ok := encode(v); present && !ok {
			issues = append(issues, ValidationIssue{UnencodableIssue, string(p.Name), fmt.Sprintf("the value of %s is not valid UTF-8", p.Name)})
		}
	}
	// A map has no order: unknown keys are reported in sorted order.
	var unknown []string
	for key := range params {
		if !t.isParameter(key) {
			unknown = append(unknown, string(key))
		}
	}
	sort.Strings(unknown)
	for _, key := range unknown {
		if isKeyName(key) {
			issues = append(issues, ValidationIssue{UnknownParameter, key, fmt.Sprintf("the server does not read %s", key)})
		} else {
			issues = append(issues, ValidationIssue{InvalidKeyIssue, key, "keys may only contain ASCII letters and digits"})
		}
	}
	return issues
}

func (t *tables) isParameter(name ParameterName) bool {
	for _, p := range t.parameters {
		if p.Name == name {
			return true
		}
	}
	return false
}

func isKeyName(key string) bool {
	for i := 0; i < len(key); i++ {
		if !isAlphanumeric(key[i]) {
			return false
		}
	}
	return key != ""
}

// ---------------------------------------------------------------------------------------------
// extract
// ---------------------------------------------------------------------------------------------

// source is a step of a profile's order resolved to its transport's index.
type source struct {
	transport int
	gated     bool
}

func (t *tables) sources(order []Source) []source {
	var out []source
	for _, s := range order {
		for i, x := range t.transports {
			if x.Name == s.Transport {
				out = append(out, source{i, s.GatedByLegacy})
			}
		}
	}
	return out
}

// collect gathers what a request carries for each transport of a kind (the server's
// StringValues): every value under a name equal to the transport's key ignoring ASCII case.
func (t *tables) collect(into map[int][]string, record map[string][]string, kind string) {
	for _, name := range sortedNames(record) {
		for i, x := range t.transports {
			if x.Kind == kind && equalsIgnoreASCIICase(name, x.Key) {
				into[i] = append(into[i], record[name]...)
			}
		}
	}
}

// sortedNames are a request's header or query names in sorted order: a map has none.
func sortedNames(record map[string][]string) []string {
	names := make([]string, 0, len(record))
	for name := range record {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

type parseResult struct {
	header ParsedHeader
	err    error
}

func (t *tables) extract(request Request, options ExtractOptions) Extraction {
	warnings := []Warning{}
	var profile *Profile
	for i := range t.profiles {
		if t.profiles[i].Name == options.Profile {
			profile = &t.profiles[i]
		}
	}
	if profile == nil {
		warnings = append(warnings, Warning{UnknownProfile, "unknown profile: nothing is read", ""})
		return Extraction{Candidates: []Candidate{}, Warnings: warnings, Parameters: Params{}, ParameterValues: []ParameterValue{}}
	}
	if !profile.HasLegacySwitch && options.Legacy != nil {
		warnings = append(warnings, Warning{NoLegacySwitch, fmt.Sprintf("%s has no legacy switch; every transport it knows is read", profile.Name), ""})
	}
	legacy := true
	if profile.HasLegacySwitch {
		legacy = profile.LegacyDefault
		if options.Legacy != nil {
			legacy = *options.Legacy
		}
	}
	transports := t.transports
	values := map[int][]string{}
	t.collect(values, request.Header, "header")
	t.collect(values, request.Query, "query")
	joined := func(x int) (string, bool) {
		v := values[x]
		return strings.Join(v, t.grammar.RepeatedValueSeparator), len(v) > 0
	}
	// Each scheme header's first value, parsed as if it were read (with legacy on), once.
	parsed := map[int]parseResult{}
	parsedAt := func(x int) (parseResult, bool) {
		if transports[x].Carries != "scheme" || len(values[x]) == 0 {
			return parseResult{}, false
		}
		result, done := parsed[x]
		if !done {
			header, err := t.parse(values[x][0], ParseOptions{Mode: Compat})
			result = parseResult{header, err}
			parsed[x] = result
		}
		return result, true
	}
	tokenIn := func(x int) (string, bool) {
		if transports[x].Carries == "token" {
			return joined(x)
		}
		if p, ok := parsedAt(x); ok && p.err == nil {
			v, found := p.header.Params[t.tokenParameter]
			return v, found
		}
		return "", false
	}
	deprecated := func(x Transport) Warning {
		message := fmt.Sprintf("%s is deprecated", x.Name)
		if x.Replacement != "" {
			message += fmt.Sprintf("; use %s", x.Replacement)
		}
		return Warning{DeprecatedTransport, message, x.Name}
	}

	// 1. The scheme header: the first in order, falling back to the next only while the joined
	//    value is absent or empty. Gated headers are skipped while legacy is off. Only the first
	//    value of the chosen header is parsed.
	order := t.sources(profile.SchemeHeaderOrder)
	chosenAt := -1
	for k, s := range order {
		if s.gated && !legacy {
			for _, v := range values[s.transport] {
				if v != "" {
					warnings = append(warnings, Warning{LegacyDisabled, fmt.Sprintf(
						"%s is ignored while legacy authorization is disabled: no client info or token is read from it",
						transports[s.transport].Name), transports[s.transport].Name})
					break
				}
			}
			continue
		}
		chosenAt = k
		if v, _ := joined(s.transport); v != "" {
			break
		}
	}
	chosen := -1
	if chosenAt >= 0 {
		chosen = order[chosenAt].transport
	}
	var authorization *Authorization
	if chosen >= 0 && len(values[chosen]) > 0 {
		name := transports[chosen].Name
		first := values[chosen][0]
		if count := len(values[chosen]); count > 1 {
			warnings = append(warnings, Warning{ExtraSchemeHeaderValues, fmt.Sprintf("%s was sent %d times; only the first is read", name, count), name})
		}
		var result parseResult
		if legacy {
			result, _ = parsedAt(chosen)
		} else {
			header, err := t.parse(first, ParseOptions{Mode: Compat, NoLegacy: true})
			result = parseResult{header, err}
		}
		var failure *ParseError
		if result.err == nil {
			authorization = &Authorization{name, result.header}
		} else if first != "" && errors.As(result.err, &failure) {
			code := UnreadableSchemeHeader
			if failure.Code == LegacySchemeDisabled {
				code = LegacyDisabled
			}
			warnings = append(warnings, Warning{code, fmt.Sprintf("%s gives no client info and no token: %s", name, failure.Message), name})
			// A foreign credential (a proxy's Basic, a wrong scheme) hides a usable later header.
			for _, s := range order[chosenAt+1:] {
				if s.gated && !legacy {
					continue
				}
				if p, ok := parsedAt(s.transport); !ok || p.err != nil {
					continue
				}
				hidden := transports[s.transport].Name
				warnings = append(warnings, Warning{SchemeHeaderHidden,
					fmt.Sprintf("%s is not empty, so %s is never read although it holds a usable header", name, hidden), hidden})
			}
		}
	}

	// 2. The token: the first non-empty value in the profile's order ("" falls through).
	candidates := []Candidate{}
	var token *Token
	read := map[int]bool{}
	for _, s := range t.sources(profile.TokenOrder) {
		if read[s.transport] {
			continue // a transport the order names twice is read once
		}
		read[s.transport] = true
		x := transports[s.transport]
		value, present := tokenIn(s.transport)
		if !present {
			continue
		}
		ignored := Read
		switch {
		case s.gated && !legacy:
			ignored = IgnoredLegacyDisabled
		case x.Carries == "scheme" && (authorization == nil || s.transport != chosen):
			// Not the header that was read: hidden by it, or read but refused for its legacy scheme.
			ignored = Shadowed
			if s.transport == chosen && !legacy {
				ignored = IgnoredLegacyDisabled
			}
		case token != nil:
			ignored = Shadowed
		}
		if ignored == Read && value != "" {
			token = &Token{value, x.Name}
		}
		candidates = append(candidates, Candidate{x.Name, value, ignored})
		if count := len(values[s.transport]); x.Carries == "token" && count > 1 {
			warnings = append(warnings, Warning{RepeatedValues, fmt.Sprintf(
				"%s was sent %d times; the server joins the values with %q into one token", x.Name, count, t.grammar.RepeatedValueSeparator), x.Name})
		}
	}
	for i, x := range transports {
		if read[i] {
			continue
		}
		if value, present := tokenIn(i); present {
			candidates = append(candidates, Candidate{x.Name, value, NotReadByProfile})
		}
	}

	// 3. Warnings about the transports in use.
	if authorization != nil && profile.WarnDeprecated && transports[chosen].Deprecated {
		warnings = append(warnings, deprecated(transports[chosen]))
	}
	sent, distinct := 0, map[string]bool{}
	for _, c := range candidates {
		x := t.transport(c.Transport)
		if c.Ignored == IgnoredLegacyDisabled && x.Carries == "token" {
			warnings = append(warnings, Warning{LegacyDisabled, fmt.Sprintf("%s is ignored while legacy authorization is disabled", x.Name), x.Name})
		}
		if c.Value != "" {
			sent++
			distinct[c.Value] = true
		}
		if c.Ignored != Read || x.Carries == "scheme" {
			continue
		}
		if x.Deprecated && profile.WarnDeprecated {
			warnings = append(warnings, deprecated(x))
		}
		if x.Kind == "query" && c.Value != "" {
			instead := ""
			if x.Replacement != "" {
				instead = fmt.Sprintf("; prefer %s", x.Replacement)
			}
			warnings = append(warnings, Warning{TokenInQuery, fmt.Sprintf("a token in the %s query parameter leaks into logs and history%s", x.Name, instead), x.Name})
		}
	}
	if sent > 1 {
		same := fmt.Sprintf("%d different values", len(distinct))
		if len(distinct) == 1 {
			same = "all equal"
		}
		validated := "none of them"
		if token != nil {
			validated = fmt.Sprintf("only the one from %s", token.Transport)
		}
		warnings = append(warnings, Warning{MultipleTokens, fmt.Sprintf("%d tokens were sent (%s); the server validates %s", sent, same, validated), ""})
	}
	hasToken := token != nil && !isWhiteSpaceOnly(token.Value)
	if token != nil && !hasToken {
		warnings = append(warnings, Warning{WhiteSpaceToken, fmt.Sprintf(
			"the token from %s is white space only: it blocks every later source, yet the request is anonymous", token.Transport), token.Transport})
	}
	parameters, parameterValues := t.parametersOf(profile, request, authorization, &warnings)
	return Extraction{Token: token, HasToken: hasToken, Authorization: authorization, Candidates: candidates, Warnings: warnings,
		Parameters: parameters, ParameterValues: parameterValues}
}

// valueOf is every value of a request's header or query parameter key (ASCII case ignored, names
// in sorted order), joined as the server joins repeated values; false when absent.
func (t *tables) valueOf(record map[string][]string, key string) (string, bool) {
	var values []string
	for _, name := range sortedNames(record) {
		if equalsIgnoreASCIICase(name, key) {
			values = append(values, record[name]...)
		}
	}
	return strings.Join(values, t.grammar.RepeatedValueSeparator), len(values) > 0
}

// separateValue is the separate value of a parameter; its names are "" when it has none.
func (t *tables) separateValue(name ParameterName) SeparateValue {
	for _, v := range t.separateValues {
		if v.Parameter == name {
			return v
		}
	}
	return SeparateValue{}
}

func describeValue(v ParameterValue) string {
	switch v.Via {
	case ViaScheme:
		return fmt.Sprintf("%s's %s", v.Name, v.Parameter)
	case ViaHeader:
		return fmt.Sprintf("the %s header", v.Name)
	}
	return fmt.Sprintf("the %s query parameter", v.Name)
}

// parametersOf is step 4 of extract, the parameters other than the token: per parameter, the
// scheme header's value and the separate values in the profile's precedence, the first non-empty
// one taken.
func (t *tables) parametersOf(profile *Profile, request Request, authorization *Authorization, warnings *[]Warning) (Params, []ParameterValue) {
	reading := profile.SeparateValues
	kinds := []string{"header", "query"}
	if reading != nil {
		kinds = reading.Read
	}
	parameters := Params{}
	parameterValues := []ParameterValue{}
	var unread []string
	for _, p := range t.parameters {
		if p.Name == t.tokenParameter {
			continue
		}
		var scheme []ParameterValue
		if authorization != nil {
			if value, ok := authorization.Header.Params[p.Name]; ok {
				scheme = append(scheme, ParameterValue{p.Name, value, ViaScheme, string(authorization.Transport), Read})
			}
		}
		var separate []ParameterValue
		table := t.separateValue(p.Name)
		for _, via := range kinds {
			name, record := table.Header, request.Header
			if via == "query" {
				name, record = table.Query, request.Query
			}
			if name == "" {
				continue
			}
			raw, present := t.valueOf(record, name)
			if !present {
				continue
			}
			value := raw
			if via == "header" && table.HeaderEncoding == "percent" && t.grammar.ValueDecoding != "none" {
				value, _ = decode(raw, t.plusIsSpace(), false)
			}
			separate = append(separate, ParameterValue{p.Name, value, Via(via), name, Read})
		}
		read := scheme
		if reading != nil && reading.Precedence == "scheme-header" {
			read = append(scheme, separate...)
		} else if reading != nil {
			read = append(separate, scheme...)
		}
		taken := -1
		for i, v := range read {
			if v.Value != "" {
				taken = i
				break
			}
		}
		if taken < 0 && len(read) > 0 {
			taken = 0
		}
		if taken >= 0 {
			parameters[p.Name] = read[taken].Value
		}
		for i, v := range read {
			if i != taken {
				v.Ignored = Shadowed
				if v.Value != "" && v.Value != read[taken].Value {
					*warnings = append(*warnings, Warning{ConflictingValues, fmt.Sprintf("%s differs from %s; the server takes %s",
						describeValue(v), describeValue(read[taken]), describeValue(read[taken])), ""})
				}
			}
			parameterValues = append(parameterValues, v)
		}
		if reading == nil {
			for _, v := range separate {
				v.Ignored = NotReadByProfile
				parameterValues = append(parameterValues, v)
				unread = append(unread, v.Name)
			}
		}
	}
	if len(unread) > 0 {
		*warnings = append(*warnings, Warning{SeparateValuesNotRead,
			fmt.Sprintf("%s does not read %s: send these values inside the scheme header", profile.Name, strings.Join(unread, ", ")), ""})
	}
	return parameters, parameterValues
}

func (t *tables) transport(name TransportName) Transport {
	for _, x := range t.transports {
		if x.Name == name {
			return x
		}
	}
	return Transport{}
}
