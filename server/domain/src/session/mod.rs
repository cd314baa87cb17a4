//! Live sessions: commands, events, the state fold and what each viewer may see.
