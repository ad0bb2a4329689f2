"""The election arithmetic: pure Python, no Django. Rules of a C.Hasil sheet, misread signs,
recap sums and Sainte-Laguë seats. Tested against known answers and with hypothesis."""
