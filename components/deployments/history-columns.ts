// The history table's columns, shared with its loading skeleton (a server component cannot read a client module's constants).
export const historyColumns = ["Revision", "Service", "Environment", "Namespace and cluster", "Image", "Status", "By", "When", "Took", ""];
