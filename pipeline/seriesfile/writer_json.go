package seriesfile

import (
	"encoding/json"
	"io"
)

// writeJSON writes the rows as one JSON array indented by two spaces, []
// when there are none; a row without a target has no target and p_meet
// keys, a row without an interval null bounds, and every row a warnings
// array, [] when its series has none.
func writeJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if rows == nil {
		rows = []Row{}
	}
	for i := range rows {
		if rows[i].Warnings == nil {
			rows[i].Warnings = []string{}
		}
	}
	return enc.Encode(rows)
}
