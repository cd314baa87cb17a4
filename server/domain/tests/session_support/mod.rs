//! A session driven only through `decide` + `apply`, as the server does it.
#![allow(dead_code)]

use beraad_domain::method::Method;
use beraad_domain::session::*;

pub const T0: i64 = 1_750_000_000_000;
pub const MINUTE: i64 = 60_000;
pub const SEED: u64 = 0x5eed_1234_abcd_0042;

pub fn pid(s: &str) -> ParticipantId {
    ParticipantId::new(s)
}

pub fn text(s: &str) -> Content {
    Content::Text { text: s.into() }
}

/// A row of the dilemma method's perspectives matrix, the same but for its stakeholder.
pub fn matrix_row(stakeholder: &str) -> Content {
    Content::MatrixRow {
        stakeholder: stakeholder.into(),
        perspective: "wil zekerheid".into(),
        value: "bestaanszekerheid".into(),
        norm: "geen verlaging zonder gesprek".into(),
    }
}

pub struct Harness {
    pub state: SessionState,
    pub events: Vec<Event>,
    pub now: i64,
    pub seed: u64,
    next_client_id: u64,
}

impl Harness {
    /// A session with moderator `mod` ("Mira Jansen").
    pub fn new(method: Method, auto_advance: bool) -> Self {
        Self::with_seed(method, auto_advance, SEED)
    }

    pub fn with_seed(method: Method, auto_advance: bool, seed: u64) -> Self {
        Self::with_previous_actions(method, auto_advance, seed, Vec::new())
    }

    /// A session that looks back on `previous_actions` (the last session's actions).
    pub fn with_previous_actions(
        method: Method,
        auto_advance: bool,
        seed: u64,
        previous_actions: Vec<ActionItem>,
    ) -> Self {
        let bodies = create(NewSession {
            method,
            title: "Verlaging bij ziekte".into(),
            case_text: "Een cliënt meldt zich ziek op de dag van een verplichte afspraak.".into(),
            auto_advance,
            moderator: pid("mod"),
            moderator_name: "Mira Jansen".into(),
            seed,
            previous_actions,
        })
        .expect("valid session");
        let events = stamp(1, bodies, Some(&pid("mod")), T0);
        let state = SessionState::fold(&events).expect("fold");
        Self { state, events, now: T0, seed, next_client_id: 0 }
    }

    /// Decides and applies; returns the new events.
    pub fn try_run(&mut self, actor: &str, cmd: Command) -> Result<Vec<Event>, CommandError> {
        let bodies = decide(&self.state, &pid(actor), cmd, self.now)?;
        let events = self.state.stamp(bodies, Some(&pid(actor)), self.now);
        for e in &events {
            self.state.apply(e).expect("decided events apply");
        }
        self.events.extend(events.iter().cloned());
        Ok(events)
    }

    pub fn run(&mut self, actor: &str, cmd: Command) -> Vec<Event> {
        let label = format!("{cmd:?}");
        self.try_run(actor, cmd).unwrap_or_else(|e| panic!("{actor} {label} refused: {} ({e})", e.code()))
    }

    /// Asserts the command is refused, changes nothing, and returns the error.
    pub fn refuse(&mut self, actor: &str, cmd: Command) -> CommandError {
        let before = self.state.clone();
        let label = format!("{cmd:?}");
        let e = match self.try_run(actor, cmd) {
            Ok(events) => panic!("{actor} {label} was accepted: {events:?}"),
            Err(e) => e,
        };
        assert_eq!(self.state, before);
        // The serialised code tag is the stable code.
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], e.code(), "{e:?}");
        e
    }

    pub fn code(&mut self, actor: &str, cmd: Command) -> &'static str {
        self.refuse(actor, cmd).code()
    }

    pub fn join(&mut self, id: &str, name: &str, role: Role) {
        self.run(id, Command::Join { display_name: name.into(), role });
    }

    pub fn client_id(&mut self) -> ClientId {
        self.next_client_id += 1;
        ClientId::new(format!("c-{}", self.next_client_id))
    }

    pub fn contribute(&mut self, actor: &str, content: Content) -> Result<Vec<Event>, CommandError> {
        let client_id = self.client_id();
        self.try_run(actor, Command::Contribute { client_id, content })
    }

    /// Contributes and returns the contribution id.
    pub fn say(&mut self, actor: &str, content: Content) -> ContributionId {
        let events = self
            .contribute(actor, content)
            .unwrap_or_else(|e| panic!("{actor} may not contribute: {} ({e})", e.code()));
        events
            .iter()
            .find_map(|e| match &e.body {
                EventBody::ContributionAdded { contribution_id, .. } => Some(*contribution_id),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no contribution in {events:?}"))
    }

    pub fn say_code(&mut self, actor: &str, content: Content) -> &'static str {
        let client_id = self.client_id();
        self.code(actor, Command::Contribute { client_id, content })
    }

    pub fn next(&mut self) -> Vec<Event> {
        self.run("mod", Command::NextRound { unrevealed: None })
    }

    /// Moves on until round `key` is current.
    pub fn go_to(&mut self, key: &str) {
        let target = self.state.method().rounds.iter().position(|r| r.key == key).expect("round key");
        while self.state.current_round() != Some(target) {
            self.next();
        }
    }

    pub fn tick(&mut self, ms: i64) {
        self.now += ms;
    }

    /// Appends what auto-advance finds due, as the server would (no actor).
    pub fn auto(&mut self) -> Vec<Event> {
        let bodies = due_transitions(&self.state, self.now);
        let events = self.state.stamp(bodies, None, self.now);
        for e in &events {
            self.state.apply(e).expect("due events apply");
        }
        self.events.extend(events.iter().cloned());
        events
    }

    pub fn current_key(&self) -> Option<String> {
        self.state.current_round().map(|i| self.state.method().rounds[i].key.clone())
    }

    /// The fold of the whole log equals the incrementally built state, also after a JSON
    /// round trip of every event (as the store keeps them).
    pub fn assert_fold_matches(&self) {
        let folded = SessionState::fold(&self.events).expect("fold");
        assert_eq!(folded, self.state);
        let json = serde_json::to_string(&self.events).unwrap();
        let back: Vec<Event> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, self.events);
        assert_eq!(SessionState::fold(&back).unwrap(), self.state);
        for (i, e) in self.events.iter().enumerate() {
            assert_eq!(e.seq, i as u64 + 1, "gap-free");
        }
    }

    /// The state right after each event, with the event.
    pub fn replay(&self) -> Vec<(SessionState, Event)> {
        let mut state = SessionState::from_created(&self.events[0]).unwrap();
        let mut out = vec![(state.clone(), self.events[0].clone())];
        for e in &self.events[1..] {
            state.apply(e).unwrap();
            out.push((state.clone(), e.clone()));
        }
        out
    }
}

/// A session of the built-in `method` (default variant) with the full group, started.
pub fn started_with_full_group(method: &str) -> Harness {
    let mut h = Harness::new(beraad_domain::method::builtin(method, None).expect("built-in"), false);
    full_group(&mut h);
    h.run("mod", Command::Start);
    h
}

/// A started dilemma session (the full group) in its silent round `individual_judgement`, and
/// that round's index.
pub fn in_silent_round() -> (Harness, usize) {
    let mut h = started_with_full_group("dilemma");
    h.go_to("individual_judgement");
    let round = h.state.current_round().expect("a current round");
    (h, round)
}

/// A judgement in the dilemma's silent round: option B, for `value`, against equality.
pub fn choice(value: &str) -> Content {
    Content::Choice {
        option: "B".into(),
        supporting_value: value.into(),
        harmed_value: "gelijkheid".into(),
        damage_limitation: String::new(),
        needs: String::new(),
    }
}

/// Moderator, presenter `pres`, six participants `p1`..`p6` and observer `obs`.
pub fn full_group(h: &mut Harness) {
    h.join("pres", "Pieter Bakker", Role::Presenter);
    for (id, name) in PARTICIPANTS {
        h.join(id, name, Role::Participant);
    }
    h.join("obs", "Olga Visser", Role::Observer);
}

pub const PARTICIPANTS: [(&str, &str); 6] = [
    ("p1", "Anna de Vries"),
    ("p2", "Bram Smit"),
    ("p3", "Carla Mulder"),
    ("p4", "Daan de Boer"),
    ("p5", "Eva Dekker"),
    ("p6", "Frank Meijer"),
];

/// Everyone's id and display name, observer included.
pub fn everyone() -> Vec<(&'static str, &'static str)> {
    let mut all = vec![("mod", "Mira Jansen"), ("pres", "Pieter Bakker")];
    all.extend(PARTICIPANTS);
    all.push(("obs", "Olga Visser"));
    all
}
