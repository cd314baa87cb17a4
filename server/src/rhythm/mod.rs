//! A team's rhythm on the server: the plan read from the store and computed by
//! `beraad_domain::rhythm` ([`plan`]), the private calendar feeds ([`calendar`]) and the
//! reminder job ([`reminders`]).

pub mod calendar;
pub mod plan;
pub mod reminders;

pub use plan::{PlannedMeeting, TeamPlan};
