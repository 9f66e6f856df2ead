// The history table's columns, shared with its loading skeleton (a server component cannot read a client module's constants).
export const historyColumns = ["Revision", "Service", "Namespace", "Image", "Status", "By", "When", "Took", ""];
