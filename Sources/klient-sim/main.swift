import KlientSim
print("klient-sim: not built yet")
