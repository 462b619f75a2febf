"""What people see: every map, chart and the PDF report, the Korean font, and numbers formatted
for people. It sits above the models (``channels``) and the assessment (``assess``): those return
data, this package draws and formats it.

- :mod:`.basemap`     the base map of North Korea every map is drawn on;
- :mod:`.population`  the population map; :mod:`.coverage` the coverage map of any channel;
- :mod:`.landscape`   the maps of the radio landscape; :mod:`.balloon`, :mod:`.border`,
  :mod:`.satellite` the pictures of those channels;
- :mod:`.figures`     the dashboard's and the report's figures of an assessment;
- :mod:`.report`      the PDF report (template in ``templates/report.html``);
- :mod:`.fonts`       the bundled Korean font; :mod:`.formatting` numbers for people (Babel).
"""
