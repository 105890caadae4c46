package main

// A JSON reader that keeps what encoding/json cannot: a lone UTF-16 surrogate escape (\ud800)
// becomes its three WTF-8 bytes, a Go string that is not valid UTF-8, as a JavaScript string
// holding one is not well-formed Unicode. Objects keep their keys' order.

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a JSON object with its keys in order.
type object struct {
	keys   []string
	values map[string]any
}

func (o *object) get(key string) any {
	if o == nil {
		return nil
	}
	return o.values[key]
}

type reader struct {
	s string
	i int
}

func readJSON(s string) (any, error) {
	r := &reader{s: s}
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	r.space()
	if r.i != len(r.s) {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func (r *reader) space() {
	for r.i < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.i]) >= 0 {
		r.i++
	}
}

func (r *reader) value() (any, error) {
	r.space()
	if r.i >= len(r.s) {
		return nil, errors.New("unexpected end")
	}
	switch c := r.s[r.i]; {
	case c == '{':
		r.i++
		o := &object{values: map[string]any{}}
		r.space()
		if r.i < len(r.s) && r.s[r.i] == '}' {
			r.i++
			return o, nil
		}
		for {
			r.space()
			k, err := r.string()
			if err != nil {
				return nil, err
			}
			r.space()
			if r.i >= len(r.s) || r.s[r.i] != ':' {
				return nil, errors.New("expected :")
			}
			r.i++
			v, err := r.value()
			if err != nil {
				return nil, err
			}
			if _, dup := o.values[k]; !dup {
				o.keys = append(o.keys, k)
			}
			o.values[k] = v
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				continue
			}
			if r.i < len(r.s) && r.s[r.i] == '}' {
				r.i++
				return o, nil
			}
			return nil, errors.New("expected , or }")
		}
	case c == '[':
		r.i++
		a := []any{}
		r.space()
		if r.i < len(r.s) && r.s[r.i] == ']' {
			r.i++
			return a, nil
		}
		for {
			v, err := r.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				continue
			}
			if r.i < len(r.s) && r.s[r.i] == ']' {
				r.i++
				return a, nil
			}
			return nil, errors.New("expected , or ]")
		}
	case c == '"':
		return r.string()
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return true, nil
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return false, nil
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		return nil, nil
	default:
		start := r.i
		for r.i < len(r.s) && strings.IndexByte("+-.0123456789eE", r.s[r.i]) >= 0 {
			r.i++
		}
		return strconv.ParseFloat(r.s[start:r.i], 64)
	}
}

func (r *reader) hex4() (rune, bool) {
	if r.i+4 > len(r.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(n), true
}

func (r *reader) string() (string, error) {
	if r.i >= len(r.s) || r.s[r.i] != '"' {
		return "", errors.New("expected a string")
	}
	r.i++
	var out []byte
	for r.i < len(r.s) {
		c := r.s[r.i]
		r.i++
		switch c {
		case '"':
			return string(out), nil
		case '\\':
			if r.i >= len(r.s) {
				return "", errors.New("bad escape")
			}
			e := r.s[r.i]
			r.i++
			switch e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				u, ok := r.hex4()
				if !ok {
					return "", errors.New("bad \\u escape")
				}
				if u >= 0xd800 && u < 0xdc00 && strings.HasPrefix(r.s[r.i:], `\u`) {
					save := r.i
					r.i += 2
					if low, ok := r.hex4(); ok && low >= 0xdc00 && low < 0xe000 {
						out = utf8.AppendRune(out, 0x10000+(u-0xd800)<<10+(low-0xdc00))
						continue
					}
					r.i = save
				}
				if u >= 0xd800 && u < 0xe000 {
					// WTF-8: the surrogate's three bytes, which no valid UTF-8 holds.
					out = append(out, byte(0xe0|u>>12), byte(0x80|(u>>6)&0x3f), byte(0x80|u&0x3f))
				} else {
					out = utf8.AppendRune(out, u)
				}
			default:
				out = append(out, e)
			}
		default:
			out = append(out, c)
		}
	}
	return "", errors.New("unterminated string")
}
