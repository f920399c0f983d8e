//! Growth: assessments, what differs between the two views, and promotion readiness.
