// fupin
