// Where the browser keeps what belongs to one live session (local storage survives a reload
// and a closed tab): the participant's token, the moderator's invite code, and the commands
// sent but not yet acknowledged.

export const tokenKey = (session) => `beraad.token.${session}`;
export const inviteKey = (session) => `beraad.invite.${session}`;
export const pendingKey = (session) => `beraad.pending.${session}`;

/** The signed-in person's CSRF token header (every state-changing request needs it), if any. */
export const csrfHeaders = () => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? { "X-CSRF-Token": meta.content } : {};
};
