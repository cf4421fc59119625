DROP TABLE public_maps;
