package seriesfile

import (
	"encoding/json"
	"io"
)

// writeJSON writes the rows as one JSON array indented by two spaces, []
// when there are none; a row without a probability has no p_meet key.
func writeJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if rows == nil {
		rows = []Row{}
	}
	return enc.Encode(rows)
}
