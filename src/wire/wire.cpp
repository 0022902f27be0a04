// placeholder translation unit until the first wire file lands
