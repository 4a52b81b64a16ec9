// Package config holds offshore's embedded default configuration and loads it.
//
// Three YAML files ship inside the binary (go:embed) so that it runs with no
// file at all: offshore.yaml (paths and stage settings), targets.yaml (the
// target sets, each number with its source) and mappings.yaml (the words
// operators use for columns, sectors and regions).
//
// Rules kept here:
//   - defaults first, then the user's file decoded strictly on top: an unknown
//     key is an error that names the key, the line and the file;
//   - targets.yaml and mappings.yaml are looked for beside the offshore.yaml in
//     use and fall back to the embedded copies when absent;
//   - relative paths resolve against the folder of the offshore.yaml in use
//     (the working folder when the embedded defaults are used);
//   - Validate names the key and the bad value;
//   - no secret in a file: the SMTP password is read from the environment
//     variable report.mail.password_env names (a password key is refused).
package config
