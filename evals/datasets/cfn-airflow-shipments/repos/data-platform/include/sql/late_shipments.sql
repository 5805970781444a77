-- Runs against the Shipment Tracking DB (conn shipment_tracking_mysql), not shipments.
SELECT carrier,
       tracking_number,
       MAX(occurred_at) AS last_scan
FROM shipment_tracking.tracking_events
WHERE status NOT IN ('DELIVERED', 'RETURNED')
GROUP BY carrier, tracking_number
HAVING MAX(occurred_at) < NOW() - INTERVAL 3 DAY;
