package cli

func (e *env) doctor(args []string) error { return nil }
