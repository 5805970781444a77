-- =====================================================================
-- Export des commandes françaises antérieures à la migration (juillet 2019)
-- Relancé à la demande de la comptabilité (équipe Finance, Lyon).
-- Source : ancienne base MySQL order_history (avant le passage à
--          PostgreSQL ; les commandes antérieures y sont restées).
-- Connexion : mysql://finance_ro:********@mysql-legacy.internal:3306/order_history
-- Dernière modification : 08/03/2021 (Hélène D.) - ajout du montant remboursé
-- =====================================================================

USE order_history;

SET NAMES latin1;

SELECT o.order_id,
       o.customer_ref,
       DATE_FORMAT(o.closed_at, '%d/%m/%Y')   AS date_cloture,
       ROUND(o.total_cents / 100, 2)          AS montant_ttc,
       o.currency                             AS devise,
       IFNULL(r.refunded_cents, 0) / 100      AS montant_rembourse
  FROM order_history.orders_closed o
  LEFT JOIN order_history.refunds r ON r.order_id = o.order_id
 WHERE o.closed_at < '2019-07-01'
   AND o.country = 'FR'
 ORDER BY o.closed_at
  INTO OUTFILE '/var/lib/mysql-files/export_compta_avant_2019.csv'
       CHARACTER SET latin1
       FIELDS TERMINATED BY ';' OPTIONALLY ENCLOSED BY '"'
       LINES TERMINATED BY '\r\n';

-- Remarque : ne pas confondre avec order_history_archive (PostgreSQL, data-eng),
-- qui contient les commandes archivées après 2019. Pas de requête ici dessus.
