"""The report engine (报告引擎): one document model that every written output of Zhenwu
uses — the half-year summary, the monthly analysis minutes — rendered as HTML (with each
figure linked to its rows), plain text, or an official-layout Word file.

- ``model``: ``Figure`` (a number with its label and the URL of the rows it counts),
  ``Block`` (heading, paragraph or table), ``Document``;
- ``formats``: the Chinese number and date style (512.00万元, 18户84人, 2023年6月30日);
- ``narrative``: the template language of the editable sentences around the figures;
- ``docx``: the .docx writer in the 党政机关公文 layout.
"""
