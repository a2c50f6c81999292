-- The shop's service fee has its own VAT (kiosk/pricing): head office needs
-- it for the VAT a terminal owes and its margin, as the kiosk's end of day
-- counts them (margin = retail + fee − cost − (retail VAT + fee VAT − cost VAT)).
-- Sales shipped before it have no fee, so zero is their fee's VAT.
ALTER TABLE sales
    ADD COLUMN fee_vat          numeric(24,6) NOT NULL DEFAULT 0,
    ADD COLUMN fee_vat_currency text          NOT NULL DEFAULT '';
