// placeholder translation unit until the first api file lands
