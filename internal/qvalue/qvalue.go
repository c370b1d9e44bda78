// Package qvalue reads the weight ("q" parameter) of an Accept or
// Accept-Encoding element (RFC 9110 §12.4.2), without allocating: the site's
// content negotiation and the live endpoint's choice of body both use it on
// every request.
package qvalue

// Parse returns a q-value in thousandths, from 0 to 1000: "1" is 1000,
// "0.5" is 500. A value that is not a valid qvalue (more than three
// decimals, above 1, anything but digits and one dot) is 0, as if the
// client had refused the element.
func Parse(s string) int {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	n := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return n
	}
	if s[1] != '.' {
		return 0
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n += int(s[i]-'0') * scale
		scale /= 10
	}
	if n > 1000 {
		return 0
	}
	return n
}
