print("fluxion")
