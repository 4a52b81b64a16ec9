package forecast

// ModelNames are the names ByName accepts, "auto" first.
func ModelNames() []string {
	names := []string{"auto", "linear-trend"}
	for _, m := range methods {
		if m.name != "linear-trend" {
			names = append(names, m.name)
		}
	}
	return names
}
