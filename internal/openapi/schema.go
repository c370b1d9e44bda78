package openapi

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/live"
)

// schemaRef is where the document keeps its schemas.
const schemaRef = "#/components/schemas/"

// A form is a named Go type whose JSON Schema the document holds.
type form struct {
	name, description string
	value             any
}

// forms lists the JSON forms of the site and the live endpoint's bodies.
func forms() []form {
	var out []form
	for _, f := range render.JSONForms() {
		out = append(out, form{f.Name, f.Description, f.Value})
	}
	for _, b := range live.Bodies() {
		out = append(out, form{b.Name, b.Description, b.Value})
	}
	return out
}

// schemas generates a JSON Schema (2020-12) of each form from its Go type,
// and of each struct type they hold, by name. The schemas are strict as
// the types are: a field without omitempty is required, and no property
// the type lacks is allowed (additionalProperties false), so a page that
// gains a field its type does not describe fails validation, and a field
// added to a type is in its schema. Struct types are named by the form
// that names them, else by their Go name with a capital and without a
// "JSON" suffix (constantJSON is Constant); two types of one name are a
// bug of the forms' tables, and panic.
func schemas(fs []form) map[string]*jsonschema.Schema {
	names := map[reflect.Type]string{}
	for _, f := range fs {
		if t := reflect.TypeOf(f.value); t.Kind() == reflect.Struct {
			names[t] = f.name
		}
	}
	owner := map[string]reflect.Type{}
	r := &jsonschema.Reflector{
		Anonymous: true,
		Namer: func(t reflect.Type) string {
			if t.Kind() != reflect.Struct || t.Name() == "" {
				return t.Name()
			}
			name, ok := names[t]
			if !ok {
				name = strings.TrimSuffix(t.Name(), "JSON")
				name = strings.ToUpper(name[:1]) + name[1:]
			}
			if o, taken := owner[name]; taken && o != t {
				panic(fmt.Sprintf("openapi: schema name %s is both %v and %v: name one in its JSON form's table", name, o, t))
			}
			owner[name] = t
			return name
		},
	}
	out := map[string]*jsonschema.Schema{}
	for _, f := range fs {
		root := r.Reflect(f.value)
		for name, def := range root.Definitions {
			out[name] = def
		}
		if root.Ref == "" {
			root.Version, root.Definitions = "", nil
			out[f.name] = root
		}
	}
	for _, f := range fs {
		out[f.name].Description = f.description
	}
	for _, s := range out {
		moveRefs(s)
	}
	return out
}

// moveRefs points the references of s and its subschemas, which the
// reflector makes to its own $defs, to the document's schemas.
func moveRefs(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if name, ok := strings.CutPrefix(s.Ref, "#/$defs/"); ok {
		s.Ref = schemaRef + name
	}
	for _, sub := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, x := range sub {
			moveRefs(x)
		}
	}
	for _, x := range []*jsonschema.Schema{s.Not, s.If, s.Then, s.Else, s.Items, s.Contains, s.AdditionalProperties, s.PropertyNames, s.ContentSchema} {
		moveRefs(x)
	}
	for _, m := range []map[string]*jsonschema.Schema{s.DependentSchemas, s.PatternProperties, s.Definitions} {
		for _, x := range m {
			moveRefs(x)
		}
	}
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			moveRefs(p.Value)
		}
	}
}
