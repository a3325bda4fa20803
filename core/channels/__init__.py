"""Delivery channels besides the app and e-mail (SPEC §3.10): SMS through a gateway's HTTP API,
企业微信/政务微信 and 钉钉 group robots by webhook. Each is configured by environment and off
by default (settings: SMS_GATEWAY_URL, WECOM_WEBHOOK_URL, DINGTALK_WEBHOOK_URL …).

A notice is always kept in the app; what goes out on a channel is an outbox row (`Delivery`)
sent by a Celery task after the action's transaction commits, retried with back-off while the
channel is down (`retry_due`, a beat job every minute), so a channel never blocks or undoes
the action that caused it.
"""
