"""Change notices: subscriptions, the outbox and its worker, mail, webhooks, feeds.

Service functions the admin UI calls (each receives a session and never commits):
`subscriptions.list_subscribers`, `subscriptions.count_subscribers`,
`subscriptions.remove_subscriber`, `outbox.delivery_status`, `outbox.retry_now`.
"""
