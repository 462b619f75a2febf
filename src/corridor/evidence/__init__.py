"""Evidence: what people who left North Korea report about each channel, corrected for who they are.

Surveys and interviews of defectors over-represent the border provinces and women. This
package stores them in a long-format schema (:mod:`corridor.evidence.tables`), reads field
exports (:mod:`~corridor.evidence.canonical`, :mod:`~corridor.evidence.kobo`,
:mod:`~corridor.evidence.odk`), and turns them into post-stratified estimates of the share of
people exposed to each channel (:mod:`~corridor.evidence.mrp`, composed in
:mod:`~corridor.evidence.estimate`), with raking as a baseline and diagnostics that refuse to
present a fit that has not converged. See ``docs/evidence-model.md``.
"""
