package seriesfile

import (
	"encoding/csv"
	"io"
	"os"
)

// decodeCSV decodes a comma-separated file into records; rows may have
// any number of fields (a missing cell reads as blank).
func decodeCSV(r io.Reader) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	return cr.ReadAll()
}

// decodeCSVFile decodes the CSV file at path.
func decodeCSVFile(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeCSV(f)
}
